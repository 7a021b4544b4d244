// Finds the PaperLens server: the paperlens.server.path setting, then the server bundled in the
// .vsix, then (in a development checkout) the built server project.
import * as fs from 'node:fs';
import * as path from 'node:path';
import * as vscode from 'vscode';
import { Executable } from 'vscode-languageclient/node';

const exe = process.platform === 'win32' ? 'paperlens.exe' : 'paperlens';

export function resolveServer(extensionPath: string): Executable {
  const configured = vscode.workspace.getConfiguration('paperlens').get<string>('server.path', '').trim();
  if (configured) {
    if (!fs.existsSync(configured)) {
      throw new Error(`The paperlens.server.path setting names "${configured}", which does not exist.`);
    }
    return serve(configured);
  }
  const bundled = path.join(extensionPath, 'server', `${process.platform}-${process.arch}`, exe);
  if (fs.existsSync(bundled)) {
    return serve(bundled);
  }
  const built = newestBuild(path.join(extensionPath, 'server', 'PaperLens.Server', 'bin'));
  if (built) {
    return serve(built);
  }
  throw new Error(
    `No PaperLens server was found for ${process.platform}-${process.arch}. ` +
      'Set paperlens.server.path to the paperlens executable, install the .vsix built for this platform, ' +
      'or build the server with "dotnet build server/PaperLens.Server".',
  );
}

/** `<server> serve`, or `dotnet <server.dll> serve`; stdio is the default transport. */
function serve(server: string): Executable {
  return server.endsWith('.dll')
    ? { command: 'dotnet', args: [server, 'serve'] }
    : { command: server, args: ['serve'] };
}

/** The most recently built server under bin/{Debug,Release}/net10.0: its apphost, else its dll. */
function newestBuild(binDir: string): string | undefined {
  const builds = ['Debug', 'Release']
    .map((config) => [exe, 'paperlens.dll'].map((file) => path.join(binDir, config, 'net10.0', file)).find(fs.existsSync))
    .filter((file): file is string => file !== undefined);
  return builds.sort((a, b) => fs.statSync(b).mtimeMs - fs.statSync(a).mtimeMs)[0];
}

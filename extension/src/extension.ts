// PaperLens for VS Code: starts the language server and wires its sidebar, commands and status.
// Parsing, ranking and storage all live in the server.
import * as vscode from 'vscode';
import { DidChangeConfigurationNotification, LanguageClient, LanguageClientOptions } from 'vscode-languageclient/node';
import { registerCommands, saveBibsAfter, savingBibs } from './commands';
import { IndexStatusDisplay } from './indexStatus';
import * as ext from './lspExt';
import { RelatedPapersView } from './relatedView';
import { resolveServer } from './serverPath';
import { traceChannel } from './trace';

let client: LanguageClient | undefined;

export async function activate(context: vscode.ExtensionContext): Promise<void> {
  const output = vscode.window.createOutputChannel('PaperLens', { log: true });
  context.subscriptions.push(output, vscode.commands.registerCommand('paperlens.showLogs', () => output.show()));

  let server;
  try {
    server = resolveServer(context.extensionPath);
  } catch (error) {
    reportMissingServer(context, output, (error as Error).message);
    return;
  }

  const trace = traceChannel(output);
  context.subscriptions.push(trace);
  const clientOptions: LanguageClientOptions = {
    documentSelector: ['markdown', 'latex', 'bibtex'].map((language) => ({ scheme: 'file', language })),
    initializationOptions: { ...serverSettings(), clientCommands: [ext.showRelatedCommand] },
    outputChannel: output,
    traceOutputChannel: trace,
    middleware: {
      // Entries added by a completion item's command or by a quick fix are saved with the draft's edit.
      executeCommand: (command, args, next) => savingBibs(async () => next(command, args)),
      provideCodeActions: async (document, range, context, token, next) => saveBibsAfter((await next(document, range, context, token)) ?? []),
    },
  };
  // No .NET diagnostics IPC socket: a language server does not need one (merged into the inherited environment).
  const serverOptions = { ...server, options: { ...server.options, env: { ...server.options?.env, DOTNET_EnableDiagnostics: '0' } } };
  client = new LanguageClient('paperlens', 'PaperLens', serverOptions, clientOptions);
  const view = new RelatedPapersView(client);
  const status = new IndexStatusDisplay((s, finished) => view.onIndexStatus(s, finished));
  context.subscriptions.push(view, status, ...registerCommands(client, view), onSettingsChanged(client));

  output.info(`Starting ${server.command} ${(server.args ?? []).join(' ')}`);
  try {
    await client.start();
  } catch (error) {
    view.serverFailed();
    void vscode.window.showErrorMessage(`PaperLens: the language server did not start: ${(error as Error).message}`, 'Show Logs')
      .then((action) => action && output.show());
    return;
  }
  context.subscriptions.push(client.onNotification(ext.indexStatusChanged, (s) => status.update(s)));
  status.update(await client.sendRequest(ext.indexStatus, {}));
  view.start();
}

export function deactivate(): Thenable<void> | undefined {
  return client?.stop();
}

/** The settings the server reads: the `paperlens` section less the client's own keys. */
function serverSettings() {
  const config = vscode.workspace.getConfiguration('paperlens');
  return {
    corpus: { paths: config.get<string[]>('corpus.paths', []) },
    index: { path: config.get<string>('index.path', '') },
    model: { path: config.get<string>('model.path', ''), precision: config.get<string>('model.precision', 'int8') },
    completion: { maxItems: config.get<number>('completion.maxItems', 50) },
    related: { limit: config.get<number>('related.limit', 20) },
    latex: { citeCommands: config.get<string[]>('latex.citeCommands', []) },
  };
}

/** Sends changed settings to the server at once; a new server path needs a restart. */
function onSettingsChanged(languageClient: LanguageClient): vscode.Disposable {
  return vscode.workspace.onDidChangeConfiguration(async (e) => {
    if (e.affectsConfiguration('paperlens.server.path')) {
      const action = await vscode.window.showInformationMessage('PaperLens uses the new server path after a reload.', 'Reload Window');
      if (action) await vscode.commands.executeCommand('workbench.action.reloadWindow');
    } else if (e.affectsConfiguration('paperlens') && languageClient.isRunning()) {
      await languageClient.sendNotification(DidChangeConfigurationNotification.type, { settings: { paperlens: serverSettings() } });
    }
  });
}

/** Without a server, every command and the sidebar say what to do. */
function reportMissingServer(context: vscode.ExtensionContext, output: vscode.LogOutputChannel, message: string): void {
  output.error(message);
  void vscode.commands.executeCommand('setContext', 'paperlens.relatedState', 'serverError');
  const explain = async () => {
    const action = await vscode.window.showErrorMessage(`PaperLens: ${message}`, 'Open Settings', 'Show Logs');
    if (action === 'Open Settings') await vscode.commands.executeCommand('workbench.action.openSettings', 'paperlens.server.path');
    if (action === 'Show Logs') output.show();
  };
  const commands: { command: string }[] = context.extension.packageJSON.contributes.commands;
  for (const { command } of commands.filter((c) => c.command !== 'paperlens.showLogs')) {
    context.subscriptions.push(vscode.commands.registerCommand(command, explain));
  }
  void explain();
}

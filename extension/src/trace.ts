// vscode-languageclient traces the protocol only when its channel's log level is Trace. This view of
// the PaperLens channel turns tracing on and off with the paperlens.trace.server setting instead.
import * as vscode from 'vscode';

export function traceChannel(output: vscode.LogOutputChannel): vscode.LogOutputChannel & vscode.Disposable {
  const tracing = () => vscode.workspace.getConfiguration('paperlens').get<string>('trace.server', 'off') !== 'off';
  const level = () => (tracing() ? vscode.LogLevel.Trace : output.logLevel);
  const levelChanged = new vscode.EventEmitter<vscode.LogLevel>();
  const watchers = [
    levelChanged,
    output.onDidChangeLogLevel(() => levelChanged.fire(level())),
    vscode.workspace.onDidChangeConfiguration((e) => e.affectsConfiguration('paperlens.trace.server') && levelChanged.fire(level())),
  ];
  const overrides: Partial<Record<keyof vscode.LogOutputChannel, unknown>> = {
    onDidChangeLogLevel: levelChanged.event,
    trace: (message: string) => (tracing() ? output.info(message) : output.trace(message)),
    dispose: () => watchers.forEach((w) => w.dispose()),
  };
  return new Proxy(output, {
    get(target, property: keyof vscode.LogOutputChannel) {
      if (property === 'logLevel') return level();
      if (property in overrides) return overrides[property];
      const value = target[property];
      return typeof value === 'function' ? value.bind(target) : value;
    },
  });
}

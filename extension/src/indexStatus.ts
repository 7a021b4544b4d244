// Index status: the status bar item, and progress on the Related papers view while indexing runs.
import * as vscode from 'vscode';
import * as ext from './lspExt';

export class IndexStatusDisplay implements vscode.Disposable {
  private readonly item = vscode.window.createStatusBarItem('paperlens.index', vscode.StatusBarAlignment.Right, 100);
  private busy = false;
  private endProgress?: () => void;

  constructor(private readonly onChange: (status: ext.IndexStatusResult, finished: boolean) => void) {
    this.item.name = 'PaperLens index';
    this.item.command = 'paperlens.showIndexStatus';
    this.item.text = '$(loading~spin) PaperLens';
    this.item.tooltip = 'PaperLens is starting';
    this.item.show();
  }

  update(status: ext.IndexStatusResult): void {
    const busy = status.state === 'indexing' || status.state === 'embedding';
    const finished = this.busy && !busy;
    this.busy = busy;
    this.item.text = busy
      ? `$(sync~spin) ${describeProgress(status)}`
      : status.state === 'error'
        ? `$(error) PaperLens`
        : `$(library) ${status.papers} papers`;
    // A corpus path that is missing or matches nothing stays visible here, not only in the output channel.
    const problems = status.corpusProblems ?? [];
    if (problems.length > 0 && !busy) this.item.text = `$(warning) ${status.papers} papers, ${problems.length} corpus path${problems.length > 1 ? 's' : ''} wrong`;
    this.item.backgroundColor = problems.length > 0 ? new vscode.ThemeColor('statusBarItem.warningBackground') : undefined;
    this.item.tooltip = `PaperLens: ${describe(status)}.${problems.map((p) => `\n${p}`).join('')}\nClick for the index status.`;
    if (busy) this.showProgress();
    else this.hideProgress();
    this.onChange(status, finished);
  }

  dispose(): void {
    this.hideProgress();
    this.item.dispose();
  }

  /** A progress bar on the Related papers view until hideProgress. */
  private showProgress(): void {
    if (this.endProgress) return;
    const done = new Promise<void>((resolve) => (this.endProgress = resolve));
    void vscode.window.withProgress({ location: { viewId: 'paperlens.related' } }, () => done);
  }

  private hideProgress(): void {
    this.endProgress?.();
    this.endProgress = undefined;
  }
}

/** "66 papers, 40 embedded, 26 pending (embedding)", for messages and tooltips. */
export function describe(status: ext.IndexStatusResult): string {
  const text = `${status.papers} papers, ${status.embedded} embedded, ${status.pending} pending (${status.state})`;
  return status.message ? `${text}: ${status.message}` : text;
}

export function describeProgress(status: ext.IndexStatusResult): string {
  return status.state === 'embedding'
    ? `Embedding ${status.embedded}/${status.embedded + status.pending}`
    : `Indexing ${status.papers} papers`;
}

// The "Related papers" view: the papers the server ranks for the paragraph at the cursor.
import * as vscode from 'vscode';
import { LanguageClient } from 'vscode-languageclient/node';
import { describeProgress } from './indexStatus';
import * as ext from './lspExt';

/** What the view shows; the viewsWelcome entries in package.json key on it. */
type ViewState = 'starting' | 'noDraft' | 'indexEmpty' | 'noResults' | 'serverError' | 'papers';

export const draftLanguages = ['markdown', 'latex'];
export const isDraft = (document: vscode.TextDocument) => draftLanguages.includes(document.languageId);

interface Anchor {
  uri: vscode.Uri;
  position: vscode.Position;
}

export class RelatedPapersView implements vscode.TreeDataProvider<ext.RelatedPaper>, vscode.Disposable {
  readonly view: vscode.TreeView<ext.RelatedPaper>;
  private readonly changed = new vscode.EventEmitter<void>();
  readonly onDidChangeTreeData = this.changed.event;
  private readonly subscriptions: vscode.Disposable[] = [];
  private papers: ext.RelatedPaper[] = [];
  private anchor?: Anchor;
  private indexEmpty = false;
  private progress?: string;   // indexing progress, shown instead of the header while it runs
  private header?: string;     // which paragraph the papers are for
  private debounce?: NodeJS.Timeout;
  private pending?: vscode.CancellationTokenSource;

  constructor(private readonly client: LanguageClient) {
    this.view = vscode.window.createTreeView('paperlens.related', { treeDataProvider: this });
    this.subscriptions.push(
      this.view,
      this.changed,
      vscode.window.onDidChangeTextEditorSelection((e) => this.follow(e.textEditor)),
      vscode.window.onDidChangeActiveTextEditor((editor) => this.follow(editor)),
      this.view.onDidChangeVisibility(() => this.refresh()),
    );
    this.setState('starting');
  }

  /** Called once the server runs: shows the papers for the current cursor. */
  start(): void {
    this.anchor = undefined;
    this.follow(vscode.window.activeTextEditor);
    if (!this.anchor) this.setState('noDraft');
  }

  serverFailed(): void {
    this.papers = [];
    this.setState('serverError');
  }

  /** Shows indexing progress, keeps the empty-index message right, and re-ranks once indexing has finished. */
  onIndexStatus(status: ext.IndexStatusResult, finished: boolean): void {
    const busy = status.state === 'indexing' || status.state === 'embedding';
    this.progress = busy ? `${describeProgress(status)}…` : undefined;
    this.showMessage();
    this.indexEmpty = status.papers === 0;
    if (finished) this.refresh();
  }

  /** Shows the papers for a position (the paperlens.showRelated command). */
  showFor(uri: vscode.Uri, position: vscode.Position): Promise<void> {
    this.anchor = { uri, position };
    return this.refresh();
  }

  /** The document and position a citation goes to: the cursor in the draft the view follows. */
  citeTarget(): Anchor | undefined {
    if (!this.anchor) return undefined;
    const uri = this.anchor.uri;
    const editor = [vscode.window.activeTextEditor, ...vscode.window.visibleTextEditors].find(
      (e) => e?.document.uri.toString() === uri.toString(),
    );
    return { uri, position: editor?.selection.active ?? this.anchor.position };
  }

  /** A row just cited from the view or a command shows "cited" at once, before the server re-ranks. */
  markCited(key: string): void {
    const paper = this.papers.find((p) => p.key === key);
    if (!paper || paper.cited) return;
    paper.cited = true;
    this.changed.fire();
  }

  getTreeItem(paper: ext.RelatedPaper): vscode.TreeItem {
    const item = new vscode.TreeItem(paper.title);
    item.id = paper.key;
    const score = paper.score.toPrecision(2);
    const author = firstAuthor(paper);
    item.description = [author, paper.year, paper.cited ? 'cited' : undefined].filter((part) => part !== undefined).join(' · ');
    item.accessibilityInformation = {
      label: [paper.title, author, paper.year, paper.key, `score ${score}`, paper.cited ? 'cited' : undefined]
        .filter((part) => part !== undefined)
        .join(', '),
    };
    item.iconPath = new vscode.ThemeIcon(paper.cited ? 'pass' : paper.inBibliography ? 'book' : 'file-text');
    item.tooltip = paperMarkdown(paper, score);
    item.contextValue = paperLink(paper) ? 'paper linked' : 'paper';
    return item;
  }

  getChildren(element?: ext.RelatedPaper): ext.RelatedPaper[] {
    return element ? [] : this.papers;
  }

  dispose(): void {
    clearTimeout(this.debounce);
    this.pending?.cancel();
    this.subscriptions.forEach((d) => d.dispose());
  }

  private follow(editor: vscode.TextEditor | undefined): void {
    if (!editor || !isDraft(editor.document)) {
      if (!vscode.window.visibleTextEditors.some((e) => isDraft(e.document))) {
        this.anchor = undefined;
        this.header = undefined;
        this.showMessage();
        this.show([], 'noDraft');
      }
      return;
    }
    this.anchor = { uri: editor.document.uri, position: editor.selection.active };
    clearTimeout(this.debounce);
    this.debounce = setTimeout(() => this.refresh(), 400);
  }

  private async refresh(): Promise<void> {
    const anchor = this.anchor;
    if (!anchor || !this.view.visible || !this.client.isRunning()) return;
    this.pending?.cancel();
    const pending = (this.pending = new vscode.CancellationTokenSource());
    const params: ext.RelatedPapersParams = {
      textDocument: { uri: this.client.code2ProtocolConverter.asUri(anchor.uri) },
      position: this.client.code2ProtocolConverter.asPosition(anchor.position),
    };
    try {
      const result = await this.client.sendRequest(ext.relatedPapers, params, pending.token);
      if (pending.token.isCancellationRequested) return;
      this.header = result.firstWords ? `For “${result.firstWords}”` : undefined;
      this.showMessage();
      this.show(result.papers, result.papers.length ? 'papers' : this.indexEmpty ? 'indexEmpty' : 'noResults');
    } catch (error) {
      if (!pending.token.isCancellationRequested) this.client.error('paperlens/relatedPapers failed', error);
    }
  }

  private show(papers: ext.RelatedPaper[], state: ViewState): void {
    this.papers = papers;
    this.setState(state);
    this.changed.fire();
  }

  /** The line above the rows: indexing progress while it runs, else the paragraph's first words. */
  private showMessage(): void {
    this.view.message = this.progress ?? this.header;
  }

  private setState(state: ViewState): void {
    void vscode.commands.executeCommand('setContext', 'paperlens.relatedState', state);
  }
}

/** What the row icons mean, at the foot of each row's tooltip. */
const iconLegend = '$(pass) cited in this draft · $(book) in its bibliography · $(file-text) from the corpus (citing adds the entry)';

/** Authors, venue and abstract: the row's tooltip (with the score and the icon legend) and the abstract preview. */
export function paperMarkdown(paper: ext.RelatedPaper, score?: string): vscode.MarkdownString {
  const md = new vscode.MarkdownString(undefined, true);
  md.appendMarkdown(`**${escape(paper.title)}**\n\n`);
  const byline = [paper.authors.join(', '), paper.venue, paper.year].filter(Boolean).join(' · ');
  if (byline) md.appendMarkdown(`${escape(byline)}\n\n`);
  md.appendMarkdown(`\`${paper.key}\`${paper.cited ? ' · cited in this draft' : ''}${score ? ` · relevance ${score}` : ''}\n\n`);
  if (paper.why) md.appendMarkdown(`*Why:* ${escape(paper.why)}\n\n`);
  md.appendMarkdown(escape(paper.abstract ?? paper.snippet));
  if (score) md.appendMarkdown(`\n\n---\n\n${iconLegend}`);
  return md;
}

/** "Vaswani", "Vaswani and Shazeer" or "Vaswani et al.": the surname is the last word of a "Given Family" name. */
function firstAuthor(paper: ext.RelatedPaper): string | undefined {
  const surname = (name: string) => name.split(',')[0].trim().split(/\s+/).pop() ?? name;
  if (paper.authors.length === 0) return undefined;
  if (paper.authors.length === 1) return surname(paper.authors[0]);
  if (paper.authors.length === 2) return `${surname(paper.authors[0])} and ${surname(paper.authors[1])}`;
  return `${surname(paper.authors[0])} et al.`;
}

/** The paper's landing page: DOI, else arXiv, else its URL. */
export function paperLink(paper: ext.RelatedPaper): string | undefined {
  if (paper.doi) return `https://doi.org/${paper.doi}`;
  if (paper.arxivId) return `https://arxiv.org/abs/${paper.arxivId}`;
  return paper.url;
}

function escape(text: string): string {
  return text.replace(/[\\`*_{}[\]<>#|]/g, '\\$&');
}

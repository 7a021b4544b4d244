// The commands: search and cite, the Related papers row actions, reindex, index status and logs.
import * as vscode from 'vscode';
import { ExecuteCommandRequest, LanguageClient } from 'vscode-languageclient/node';
import { describe } from './indexStatus';
import * as ext from './lspExt';
import { isDraft, paperLink, paperMarkdown, RelatedPapersView } from './relatedView';

const abstractScheme = 'paperlens-abstract';

export function registerCommands(client: LanguageClient, view: RelatedPapersView): vscode.Disposable[] {
  const abstracts = new Map<string, ext.RelatedPaper>();
  const toServer = client.code2ProtocolConverter;

  // The server decides where the citation goes and applies it (and the .bib entry) through workspace/applyEdit.
  const cite = async (uri: vscode.Uri, position: vscode.Position, key: string) => {
    const args: ext.CiteArguments = { uri: toServer.asUri(uri), position: toServer.asPosition(position), key };
    await savingBibs(() => client.sendRequest(ExecuteCommandRequest.type, { command: ext.ServerCommands.cite, arguments: [args] }));
    view.markCited(key);
  };

  const citeAtCursor = async (editor: vscode.TextEditor, paper: ext.RelatedPaper | undefined) => {
    if (paper) await cite(editor.document.uri, editor.selection.active, paper.key);
  };

  const searchPapers = async () => {
    const editor = draftEditor();
    if (editor) await citeAtCursor(editor, await pickFromSearch(client, editor.document));
  };

  const citeRelatedPaper = async () => {
    const editor = draftEditor();
    if (!editor) return;
    const params: ext.RelatedPapersParams = {
      textDocument: { uri: toServer.asUri(editor.document.uri) },
      position: toServer.asPosition(editor.selection.active),
    };
    const related = client.sendRequest(ext.relatedPapers, params).then((result) => result.papers.map(pickItem));
    const picked = await vscode.window.showQuickPick(related, {
      title: 'Cite a paper related to this paragraph',
      matchOnDescription: true,
      matchOnDetail: true,
    });
    await citeAtCursor(editor, picked?.paper);
  };

  const showIndexStatus = async () => {
    const status = await client.sendRequest(ext.indexStatus, {});
    const action = await vscode.window.showInformationMessage(`PaperLens index: ${describe(status)}.`, 'Reindex', 'Show Logs');
    if (action === 'Reindex') await reindex();
    if (action === 'Show Logs') client.outputChannel.show();
  };

  const reindex = () => client.sendRequest(ExecuteCommandRequest.type, { command: ext.ServerCommands.reindex, arguments: [] });

  const showRelated = async (args?: ext.ShowRelatedArguments) => {
    const editor = vscode.window.activeTextEditor;
    const uri = args ? client.protocol2CodeConverter.asUri(args.uri) : editor?.document.uri;
    const position = args ? client.protocol2CodeConverter.asPosition(args.position) : editor?.selection.active;
    await vscode.commands.executeCommand('paperlens.related.focus');
    if (uri && position) await view.showFor(uri, position);
  };

  const citeFromView = async (paper: ext.RelatedPaper) => {
    const target = view.citeTarget();
    if (target) await cite(target.uri, target.position, paper.key);
    else void vscode.window.showWarningMessage('Open a Markdown or LaTeX draft to cite into.');
  };

  const openAbstract = async (paper: ext.RelatedPaper) => {
    abstracts.set(paper.key, paper);
    await vscode.commands.executeCommand('markdown.showPreview', vscode.Uri.from({ scheme: abstractScheme, path: `/${paper.key}.md` }));
  };

  const openLink = async (paper: ext.RelatedPaper) => {
    const link = paperLink(paper);
    if (link) await vscode.env.openExternal(vscode.Uri.parse(link));
  };

  const copyBibtex = async (paper: ext.RelatedPaper) => {
    const result = await client.sendRequest(ext.bibtex, { key: paper.key });
    if (!result) {
      void vscode.window.showWarningMessage(`PaperLens has no BibTeX entry for ${paper.key}.`);
      return;
    }
    await vscode.env.clipboard.writeText(result.bibtex);
    void vscode.window.setStatusBarMessage(`Copied the BibTeX entry of ${paper.key}`, 3000);
  };

  const abstractDocuments: vscode.TextDocumentContentProvider = {
    provideTextDocumentContent: (uri) => {
      const paper = abstracts.get(uri.path.slice(1, -'.md'.length));
      return paper ? paperMarkdown(paper).value : 'This paper is no longer listed.';
    },
  };

  return [
    vscode.workspace.registerTextDocumentContentProvider(abstractScheme, abstractDocuments),
    vscode.commands.registerCommand('paperlens.searchPapers', searchPapers),
    vscode.commands.registerCommand('paperlens.citeRelatedPaper', citeRelatedPaper),
    vscode.commands.registerCommand('paperlens.reindexPapers', reindex),
    vscode.commands.registerCommand('paperlens.showIndexStatus', showIndexStatus),
    vscode.commands.registerCommand(ext.showRelatedCommand, showRelated),
    vscode.commands.registerCommand('paperlens.paper.cite', citeFromView),
    vscode.commands.registerCommand('paperlens.paper.openAbstract', openAbstract),
    vscode.commands.registerCommand('paperlens.paper.openLink', openLink),
    vscode.commands.registerCommand('paperlens.paper.copyBibtex', copyBibtex),
    vscode.commands.registerCommand(saveDocumentsCommand, saveDocuments),
  ];
}

/** Saves documents by URI: a code action that added a .bib entry runs it after its edit. */
export const saveDocumentsCommand = 'paperlens.saveDocuments';

async function saveDocuments(uris: string[]): Promise<void> {
  const wanted = new Set(uris);
  await Promise.all(vscode.workspace.textDocuments.filter((d) => wanted.has(d.uri.toString()) && d.isDirty).map((d) => d.save()));
}

const isBib = (document: vscode.TextDocument) => document.uri.scheme === 'file' && document.fileName.toLowerCase().endsWith('.bib');

/**
 * Runs a server command that may add .bib entries, then saves the .bib documents it changed: an unsaved .bib makes
 * LaTeX fail. The server's workspace/applyEdit arrives and is applied before the command answers.
 */
export async function savingBibs<T>(action: () => Thenable<T>): Promise<T> {
  const changed = new Set<vscode.TextDocument>();
  const listener = vscode.workspace.onDidChangeTextDocument((e) => {
    if (isBib(e.document) && e.contentChanges.length > 0) changed.add(e.document);
  });
  try {
    return await action();
  } finally {
    listener.dispose();
    await Promise.all([...changed].filter((d) => d.isDirty).map((d) => d.save()));
  }
}

/** Code actions whose edit adds a .bib entry save that .bib once applied. */
export function saveBibsAfter(actions: (vscode.Command | vscode.CodeAction)[]): (vscode.Command | vscode.CodeAction)[] {
  for (const action of actions) {
    if (!(action instanceof vscode.CodeAction) || !action.edit || action.command) continue;
    const bibs = action.edit.entries().map(([uri]) => uri).filter((uri) => uri.path.toLowerCase().endsWith('.bib'));
    if (bibs.length > 0) action.command = { title: 'Save', command: saveDocumentsCommand, arguments: [bibs.map((u) => u.toString())] };
  }
  return actions;
}

interface PaperItem extends vscode.QuickPickItem {
  paper: ext.RelatedPaper;
}

function pickItem(paper: ext.RelatedPaper): PaperItem {
  return {
    label: paper.title,
    description: [paper.key, paper.year, paper.cited ? 'cited' : undefined].filter((part) => part !== undefined).join(' · '),
    detail: [paper.authors.join(', '), paper.snippet].filter(Boolean).join(' — '),
    paper,
  };
}

/** A quick pick whose items follow paperlens/search as the user types. */
function pickFromSearch(client: LanguageClient, document: vscode.TextDocument): Promise<ext.RelatedPaper | undefined> {
  const pick = vscode.window.createQuickPick<PaperItem>();
  pick.title = 'Search papers';
  pick.placeholder = 'Words from a title, an abstract or an author';
  const textDocument = { uri: client.code2ProtocolConverter.asUri(document.uri) };
  let debounce: NodeJS.Timeout | undefined;
  let pending: vscode.CancellationTokenSource | undefined;
  pick.onDidChangeValue((query) => {
    clearTimeout(debounce);
    debounce = setTimeout(async () => {
      pending?.cancel();
      const token = (pending = new vscode.CancellationTokenSource()).token;
      if (!query.trim()) return void (pick.items = []);
      pick.busy = true;
      try {
        const result = await client.sendRequest(ext.search, { query, limit: 30, textDocument }, token);
        // alwaysShow: the server ranked these; the quick pick must not filter them by its own matching.
        if (!token.isCancellationRequested) pick.items = result.papers.map((paper) => ({ ...pickItem(paper), alwaysShow: true }));
      } catch (error) {
        if (!token.isCancellationRequested) client.error('paperlens/search failed', error);
      } finally {
        if (!token.isCancellationRequested) pick.busy = false;
      }
    }, 250);
  });
  return new Promise((resolve) => {
    pick.onDidAccept(() => {
      resolve(pick.selectedItems[0]?.paper);
      pick.hide();
    });
    pick.onDidHide(() => {
      clearTimeout(debounce);
      pending?.cancel();
      resolve(undefined);
      pick.dispose();
    });
    pick.show();
  });
}

/** The active Markdown or LaTeX editor, or a warning that there is none. */
function draftEditor(): vscode.TextEditor | undefined {
  const editor = vscode.window.activeTextEditor;
  if (editor && isDraft(editor.document)) return editor;
  void vscode.window.showWarningMessage('PaperLens cites into Markdown and LaTeX drafts: open one first.');
  return undefined;
}

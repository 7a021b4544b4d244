// PaperLens's own LSP requests, notifications and commands: the client's mirror of
// server/PaperLens.Server/Lsp/Protocol/PaperLensExtensions.cs, documented in docs/lsp-extensions.md.
import * as lc from 'vscode-languageclient';

export interface RelatedPapersParams {
  textDocument: lc.TextDocumentIdentifier;
  position?: lc.Position;
  range?: lc.Range;
  limit?: number;
}

export interface RelatedPaper {
  key: string;
  title: string;
  authors: string[];
  year?: number;
  venue?: string;
  score: number;
  snippet: string;
  cited: boolean;
  inBibliography: boolean;
  uri?: string;
  range?: lc.Range;
  abstract?: string;
  doi?: string;
  arxivId?: string;
  url?: string;
  why?: string;
}

export interface RelatedPapersResult {
  context: string;
  firstWords?: string;
  papers: RelatedPaper[];
}

export interface SearchParams {
  query: string;
  limit?: number;
  textDocument?: lc.TextDocumentIdentifier;
}

export type IndexState = 'idle' | 'indexing' | 'embedding' | 'error';

export interface IndexStatusResult {
  papers: number;
  embedded: number;
  pending: number;
  state: IndexState;
  message?: string;
  /** Configured corpus paths that give no files, each with why. */
  corpusProblems?: string[];
}

export interface BibtexParams {
  key: string;
}

export interface BibtexResult {
  key: string;
  bibtex: string;
}

export const relatedPapers = new lc.RequestType<RelatedPapersParams, RelatedPapersResult, void>('paperlens/relatedPapers');
export const search = new lc.RequestType<SearchParams, RelatedPapersResult, void>('paperlens/search');
export const indexStatus = new lc.RequestType<object, IndexStatusResult, void>('paperlens/indexStatus');
export const bibtex = new lc.RequestType<BibtexParams, BibtexResult | null, void>('paperlens/bibtex');
export const indexStatusChanged = new lc.NotificationType<IndexStatusResult>('paperlens/indexStatusChanged');

/** Arguments of the server's `paperlens.cite` command. */
export interface CiteArguments {
  uri: string;
  position: lc.Position;
  key: string;
}

/** Arguments of `paperlens.showRelated`, a code-action command the client runs itself. */
export interface ShowRelatedArguments {
  uri: string;
  position: lc.Position;
}

/** Commands the server runs through workspace/executeCommand. */
export const ServerCommands = {
  cite: 'paperlens.cite',
  reindex: 'paperlens.reindex',
} as const;

export const showRelatedCommand = 'paperlens.showRelated';

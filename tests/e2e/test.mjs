// End-to-end test in a real VS Code (code-server, driven by headless Chromium through Playwright).
// Expects start.sh to have installed the PaperLens .vsix and opened a copy of workspace/.
// Each check prints PASS or FAIL; the last line is "N passed, N failed". Screenshots: artifacts/.
import fs from 'node:fs';
import path from 'node:path';

const here = path.dirname(new URL(import.meta.url).pathname);
const E2E = process.env.E2E || `${process.env.HOME}/.cache/vscode-e2e`;
const { chromium } = await import(`${E2E}/tools/node_modules/playwright-core/index.mjs`);
const url = `http://127.0.0.1:${process.env.PORT || 8080}/?folder=${E2E}/run/workspace`;
const artifacts = path.join(here, 'artifacts');
fs.mkdirSync(artifacts, { recursive: true });
for (const old of fs.readdirSync(artifacts).filter((f) => f.startsWith('fail-'))) fs.rmSync(path.join(artifacts, old));   // an earlier run's
const timeout = 60_000;

// Papers about extending the context window of RoPE-based LLMs, in the sample corpus and refs.bib.
const contextWindowPaper = /CLEX|E\^2-LLM|Extending Context Window|LongEmbed|Length Extrapolation|Length Extension/i;

const t0 = Date.now();
const log = (...args) => console.log(`[${((Date.now() - t0) / 1000).toFixed(1)}s]`, ...args);
const profile = fs.mkdtempSync(`${E2E}/chrome-profile-`);
const browser = await chromium.launchPersistentContext(profile, {
  executablePath: '/usr/bin/chromium',
  headless: true,
  viewport: { width: 1400, height: 900 },
  env: { ...process.env },
  args: ['--no-sandbox', '--disable-gpu', '--disable-quic', '--no-first-run',
    '--disable-background-networking', '--disable-component-update', '--disable-sync'],
});
const page = browser.pages()[0] || (await browser.newPage());
page.setDefaultTimeout(timeout);
let serverFailure;   // the extension's error message when it cannot start the server
page.on('console', (m) => {
  if (!/paperlens/i.test(m.text())) return;
  log('console:', m.type(), m.text().slice(0, 300));
  if (/No PaperLens server|did not start/.test(m.text())) serverFailure = m.text();
});

const checks = [];
const check = (name, body) => checks.push({ name, body });

const shot = (name) => page.screenshot({ path: path.join(artifacts, `${name}.png`) }).catch(() => {});
const fixture = (file) => fs.readFileSync(path.join(here, 'workspace', file), 'utf8').split('\n');
/** 1-based line of the first line of `file` that contains `text`. */
const lineOf = (file, text) => fixture(file).findIndex((line) => line.includes(text)) + 1;
const editorText = () => page.locator('.editor-instance .monaco-editor .view-lines').first().innerText();
/** The editor's visible line that contains `text`, with Monaco's non-breaking spaces made plain. */
const editorLine = async (text) => (await editorText()).replace(/\u00a0/g, ' ').split('\n').find((line) => line.includes(text));
const workspaceFile = (file) => fs.readFileSync(`${E2E}/run/workspace/${file}`, 'utf8');
const originalBib = fixture('refs.bib').join('\n');
const count = (text, part) => text.split(part).length - 1;
function expect(condition, message) {
  if (!condition) throw new Error(message);
}

async function quickOpen(text) {
  const input = page.locator('.quick-input-widget input');
  for (let attempt = 0; ; attempt++) {
    await page.keyboard.press('Control+P');
    try {
      await input.waitFor({ state: 'visible', timeout: 5000 });
      break;
    } catch (error) {
      if (attempt >= 3) throw error;
      await page.locator('.part.editor').click({ position: { x: 400, y: 600 } });   // take the focus back
    }
  }
  await page.keyboard.type(text);
}

async function openFile(file) {
  await quickOpen(file);
  await page.locator(`.quick-input-list .monaco-list-row.focused[aria-label*="${file}"]`).waitFor();
  await page.keyboard.press('Enter');
  await page.locator(`.tab.active[aria-label*="${file}"]`).waitFor();
  await page.locator('.editor-instance .monaco-editor .view-lines').first().waitFor();
}

/** Moves the cursor to a 1-based line and column (or the end of the line) of the active editor. */
async function goTo(line, column) {
  await quickOpen(column ? `:${line}:${column}` : `:${line}`);
  await page.keyboard.press('Enter');
  if (!column) await page.keyboard.press('End');
}

async function runCommand(title) {
  await page.keyboard.press('Control+Shift+P');
  await page.locator('.quick-input-widget input').waitFor({ state: 'visible' });
  await page.keyboard.type(title);
  await page.locator(`.quick-input-list .monaco-list-row:has-text("${title}")`).first().waitFor();
  await page.keyboard.press('Enter');
}

/** Types a citation trigger; returns the details (the titles) of the first `n` suggestions. */
async function suggestionsAfter(trigger, screenshot, n = 5) {
  await page.keyboard.type(trigger, { delay: 50 });
  const rows = page.locator('.editor-widget.suggest-widget.visible .monaco-list-row');
  for (let attempt = 0; ; attempt++) {
    try {
      await rows.first().waitFor({ timeout: 5000 });
      break;
    } catch (error) {
      if (attempt >= 10) throw new Error(`no suggestions after typing ${trigger}`);
      await page.keyboard.press('Control+Space');   // ask again: the server may still be starting
    }
  }
  await page.waitForTimeout(1000);                   // let the list settle
  // The row shows the key; the title is the item's detail, shown in the details pane (Ctrl+Space
  // toggles it, and the editor remembers whether it was open).
  const header = page.locator('.suggest-details-container .suggest-details .header');
  if (!(await header.first().isVisible())) await page.keyboard.press('Control+Space');
  await header.first().waitFor();
  await shot(screenshot);
  const items = [];
  for (let i = 0; i < Math.min(n, await rows.count()); i++) {
    const key = (await page.locator('.suggest-widget .monaco-list-row.focused .label-name').innerText()).trim();
    await page.waitForFunction((k) => document.querySelector('.suggest-details .header')?.innerText.trim() && document.querySelector('.suggest-widget .monaco-list-row.focused .label-name')?.innerText.trim() === k, key);
    items.push((await header.first().innerText()).replace(/\s+/g, ' ').trim());
    log(`  ${key}: ${items.at(-1)}`);
    await page.keyboard.press('ArrowDown');
  }
  return items;
}

/** Removes what suggestionsAfter typed (the trigger and its auto-closed bracket). */
async function undoTrigger(trigger) {
  await page.keyboard.press('Escape');
  await page.keyboard.press('Shift+End');
  await page.keyboard.press('Delete');
  for (const _ of trigger) await page.keyboard.press('Backspace');
}

function expectContextWindowPapers(items, what) {
  const top = items.slice(0, 5);
  log(`${what}, top items:`, JSON.stringify(top));
  const hits = top.filter((item) => contextWindowPaper.test(item)).length;
  expect(hits >= 2, `${what}: ${hits} of the first 5 items are context-window papers`);
}

// start.sh names a corpus path that matches no file: the status bar item says so once indexing is done.
const wrongCorpusPath = 'sigir-201[6-9].bib';
const statusItem = () => page.locator('.statusbar-item', { hasText: /^\s*[1-9]\d* papers(, 1 corpus path wrong)?\s*$/ });

check('server starts and indexes the corpus', async () => {
  await openFile('draft.md');
  // The status bar item reads "N papers" once the first indexing pass has finished.
  const indexed = statusItem();
  for (let waited = 0; !(await indexed.count()); waited += 500) {
    expect(!serverFailure, serverFailure);
    expect(waited < 180_000, 'the status bar never showed the indexed papers');
    await page.waitForTimeout(500);
  }
  log('status bar:', await indexed.first().innerText());
  await shot('status');
});

check('a wrong corpus path shows in the status bar item', async () => {
  const item = statusItem().filter({ hasText: 'corpus path wrong' });
  await item.first().waitFor();
  const text = (await item.first().innerText()).trim();
  expect(/^[1-9]\d* papers, 1 corpus path wrong$/.test(text), `the status bar item reads "${text}"`);
  await item.first().hover();
  const tooltip = page.locator('.monaco-hover:visible, .workbench-hover:visible', { hasText: wrongCorpusPath });
  await tooltip.first().waitFor();
  const tip = (await tooltip.first().innerText()).replace(/\s+/g, ' ');
  log('status bar tooltip:', tip);
  expect(tip.includes(`corpus path '${process.env.E2E || `${process.env.HOME}/.cache/vscode-e2e`}/run/workspace/corpus/${wrongCorpusPath}'`), `the tooltip reads "${tip}"`);
  await shot('status-corpus-problem');   // the notification is checked in the notification center at the end
  await page.mouse.move(10, 10);
});

const mdEnd = lineOf('draft.md', 'keep the training cost low.');
check('markdown: [@ lists context-window papers', async () => {
  await goTo(mdEnd);
  try {
    const items = await suggestionsAfter(' [@', 'completion-markdown');
    await shot('completion-markdown');
    expectContextWindowPapers(items, 'markdown completion');
  } finally {
    await undoTrigger(' [@');
  }
});

check('markdown: hovering a key shows its abstract', async () => {
  const line = lineOf('draft.md', '@chen2024clex');
  await goTo(line, fixture('draft.md')[line - 1].indexOf('chen2024clex') + 3);
  await runCommand('Show or Focus Hover');
  const hover = page.locator('.monaco-hover:visible', { hasText: 'exceptional capabilities are restricted' });
  await hover.first().waitFor();
  await shot('hover');
  await page.keyboard.press('Escape');
});

check('sidebar lists related papers and cites one', async () => {
  await goTo(mdEnd);
  await page.locator('.activitybar .action-item [aria-label*="PaperLens"]').first().click();
  const rows = page.locator('.pane-body .monaco-list-row');
  await rows.first().waitFor();
  await page.waitForTimeout(1000);
  const items = await rows.evaluateAll((els) => els.map((e) => e.textContent.replace(/\s+/g, ' ').trim()));
  expectContextWindowPapers(items, 'related papers');
  await shot('sidebar');
  const row = rows.filter({ hasText: contextWindowPaper }).filter({ hasNotText: 'cited' }).first();
  // The row's accessible label: "title, key[, year], score 0.03[, cited]".
  const key = / ([^\s,]+)(?:, \d{4})?, score /.exec(await row.getAttribute('aria-label'))[1];
  const before = count(await editorText(), key);
  const citedRows = await rows.filter({ hasText: 'cited' }).count();
  await row.hover();
  await row.locator('.action-label[aria-label="Cite here"]').click();
  await page.waitForFunction(
    ([k, n]) => document.querySelector('.editor-instance .monaco-editor .view-lines').innerText.split(k).length - 1 > n,
    [key, before],
  );
  log('cited from the sidebar:', key);
  await shot('sidebar-cited');
  // Before the sentence's full stop, and the row says "cited" at once.
  const line = await editorLine('keep the training cost low');
  expect(line === `sequences and still extrapolate to much longer contexts keep the training cost low [@${key}].`, `the sentence reads "${line}"`);
  for (let waited = 0; (await rows.filter({ hasText: 'cited' }).count()) <= citedRows; waited += 100) {
    expect(waited < 5000, 'the cited row does not say "cited"');
    await page.waitForTimeout(100);
  }
});

check('latex: \\cite{ lists context-window papers', async () => {
  await openFile('draft.tex');
  await goTo(lineOf('draft.tex', 'keep the training cost low.'));
  try {
    const items = await suggestionsAfter(' \\cite{', 'completion-latex');
    await shot('completion-latex');
    expectContextWindowPapers(items, 'latex completion');
    // Readable rows: the key, then "Surname et al. Year — Title", then the short source.
    const rows = await page.locator('.editor-widget.suggest-widget.visible .monaco-list-row')
      .evaluateAll((els) => els.map((e) => e.textContent.replace(/\s+/g, ' ').trim()));
    log('completion rows:', JSON.stringify(rows.slice(0, 5)));
    const clex = rows.find((row) => row.includes('chen2024clex'));
    expect(clex?.includes('Chen et al. 2024 — CLEX: Continuous Length Extrapolation for Large Language Models'), `the CLEX row reads "${clex}"`);
    expect(clex?.includes('✓ cited · refs.bib'), `the CLEX row has no "✓ cited · refs.bib": "${clex}"`);
    // Sample papers have no authors or year: a generated key (first title word and a suffix), the title, "corpus"
    // (the row's text joins the description to the title without a space).
    expect(rows.some((row) => /^[a-z0-9]+-[a-z0-9]{3} .{20,}corpus$/.test(row)), 'no corpus row reads "word-abc Title corpus"');
  } finally {
    await undoTrigger(' \\cite{');
  }
});

check('latex: \\newcite keys get hovers', async () => {
  const line = lineOf('draft.tex', '\\newcite{zhu2024longembed}');
  await goTo(line, fixture('draft.tex')[line - 1].indexOf('zhu2024longembed') + 3);
  await runCommand('Show or Focus Hover');
  const hover = page.locator('.monaco-hover:visible', { hasText: 'LongEmbed: Extending Embedding Models for Long Context Retrieval' });
  await hover.first().waitFor();
  await shot('hover-newcite');
  await page.keyboard.press('Escape');
});

check('latex: hovering a title-only .bib entry shows the corpus abstract and where it came from', async () => {
  // refs.bib has title, authors and year; the library outside the workspace (a corpus path) has the abstract and arXiv id.
  const line = lineOf('draft.tex', '\\cite{jaderberg2017population}');
  await goTo(line, fixture('draft.tex')[line - 1].indexOf('jaderberg2017population') + 3);
  await runCommand('Show or Focus Hover');
  const hover = page.locator('.monaco-hover:visible', { hasText: 'Neural networks dominate the modern machine learning landscape' });
  await hover.first().waitFor();
  const text = (await hover.first().innerText()).replace(/\s+/g, ' ');
  log('hover:', text.slice(0, 120), '…', text.slice(-200));
  expect(text.includes('Population Based Training of Neural Networks'), `the hover has no title: "${text}"`);
  expect(text.includes('jaderberg2017population — refs.bib:'), `the hover does not name the entry: "${text}"`);
  // The index keeps the library's record apart (the hover names it) or merges it into the entry's row (the hover says so).
  expect(/abstract, arXiv id from (the corpus record jaderbergPopulationBasedTraining2017 \(library\.bib:8\), the same paper|the index, where this entry is merged with the same paper from another file)/.test(text),
    `the hover does not say where the abstract came from: "${text}"`);
  await shot('hover-corpus-abstract');
  await page.keyboard.press('Escape');
});

check('Search Papers adds the picked paper into the citation that ends the sentence', async () => {
  await goTo(lineOf('draft.tex', 'across augmentations'));
  await runCommand('PaperLens: Search Papers');
  await page.locator('.quick-input-widget .quick-input-title:has-text("Search papers")').waitFor();
  await page.keyboard.type('context window extension for large language models');
  const rows = page.locator('.quick-input-list .monaco-list-row');
  await rows.first().waitFor();
  await page.waitForTimeout(1500);                   // the debounced search replaces the list
  const items = await rows.evaluateAll((els) => els.slice(0, 5).map((e) => e.textContent.replace(/\s+/g, ' ').trim()));
  log('search, top items:', JSON.stringify(items));
  const picked = items.findIndex((item) => contextWindowPaper.test(item));
  expect(picked >= 0, 'no context-window paper among the first 5 search results');
  const key = (await rows.nth(picked).locator('.label-description').innerText()).split(' · ')[0];
  for (let i = 0; i < picked; i++) await page.keyboard.press('ArrowDown');
  await shot('search');
  const before = count(await editorText(), key);
  await page.keyboard.press('Enter');
  await page.waitForFunction(
    ([k, n]) => document.querySelector('.editor-instance .monaco-editor .view-lines').innerText.split(k).length - 1 > n,
    [key, before],
  );
  log('cited from search:', key);
  await shot('search-cited');
  const line = await editorLine('across augmentations');
  expect(line === `trained equally well across augmentations~\\cite{yu2023provable,${key}}.`, `the sentence reads "${line}"`);
  if (!originalBib.includes(`{${key},`)) {
    await page.waitForFunction(() => !document.querySelector('.tab.dirty[aria-label*="refs.bib"]'));
    expect(workspaceFile('refs.bib').includes(`{${key},`), `refs.bib on disk lacks the entry ${key}`);
  }
});

// library.tex cites park2025live, which the library outside the workspace lacks until the test appends it.
const appended = `
@inproceedings{park2025live,
  title = {Live Libraries: Keeping Citation Managers and Drafts in Sync},
  author = {Park, Jiwon and Okafor, Chidi},
  booktitle = {Proceedings of the Workshop on Scholarly Tools},
  year = {2025}
}
`;
const undefinedKey = "Undefined citation key 'park2025live'";

check('a .bib outside the workspace changed on disk is picked up within 5 s', async () => {
  await openFile('library.tex');
  await page.keyboard.press('Control+Shift+M');   // the Problems panel
  const problem = page.locator('.markers-panel .monaco-list-row', { hasText: undefinedKey });
  await problem.first().waitFor();
  await shot('library-undefined');
  fs.appendFileSync(`${E2E}/run/zotero/library.bib`, appended);   // as Zotero's auto-export does
  const changed = Date.now();
  await problem.first().waitFor({ state: 'detached', timeout: 5000 });
  log(`the undefined-key warning went away ${Date.now() - changed} ms after the change`);
  await page.keyboard.press('Control+Shift+M');
  await goTo(lineOf('library.tex', 'citation managers keep it in sync'));
  await page.keyboard.type(' \\cite{park', { delay: 50 });
  const row = page.locator('.editor-widget.suggest-widget.visible .monaco-list-row', { hasText: 'park2025live' });
  await row.first().waitFor({ timeout: 5000 });
  const label = (await row.first().textContent()).replace(/\s+/g, ' ').trim();
  log('completion row:', label);
  expect(label.includes('Park and Okafor 2025 — Live Libraries: Keeping Citation Managers and Drafts in Sync'), `the row reads "${label}"`);
  log(`completion offered park2025live ${Date.now() - changed} ms after the change`);
  await shot('library-live');
  await undoTrigger(' \\cite{park');
});

check('the wrong corpus path was said once, not on every re-index', async () => {
  await runCommand('Notifications: Show Notifications');
  const center = page.locator('.notifications-center .notification-list-item', { hasText: 'cannot use some corpus paths' });
  await center.first().waitFor();
  expect((await center.count()) === 1, `${await center.count()} notifications about the corpus paths`);
  const text = (await center.first().innerText()).replace(/\s+/g, ' ');
  log('notification:', text);
  expect(text.includes(wrongCorpusPath), `the notification does not name the wrong path: "${text}"`);
  await shot('notifications');
  await page.keyboard.press('Escape');
});

let passed = 0;
let failed = 0;
try {
  await page.goto(url);
  await page.locator('.monaco-workbench').waitFor();
  await page.locator('.explorer-folders-view .monaco-list-row:has-text("draft.md")').waitFor();
  log('workbench ready');
  for (const { name, body } of checks) {
    log(`--- ${name}`);
    if (failed && passed === 0) {
      log(`FAIL ${name}: not run, the server did not start`);
      failed++;
      continue;
    }
    try {
      await body();
      passed++;
      log(`PASS ${name}`);
    } catch (error) {
      failed++;
      log(`FAIL ${name}: ${error.message.split('\n')[0]}`);
      await shot(`fail-${name.replace(/\W+/g, '-')}`);
      await page.keyboard.press('Escape').catch(() => {});
    }
  }
} catch (error) {
  failed++;
  log('ERROR', error.message);
  await shot('fail-setup');
} finally {
  await browser.close();
  fs.rmSync(profile, { recursive: true, force: true });
}
console.log(`${passed} passed, ${failed} failed`);
process.exit(failed === 0 && passed > 0 ? 0 : 1);

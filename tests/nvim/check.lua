-- A headless Neovim session against `paperlens serve`, through Neovim's own LSP client (0.7+ API):
-- completion, hover, diagnostics and code actions in a LaTeX draft. Exits 0 when every check passes.
local server, dir, corpus = os.getenv('PAPERLENS'), os.getenv('WORKDIR'), os.getenv('CORPUS')
local passed, failed = 0, 0
local started = vim.loop.hrtime()

local function check(name, ok, detail)
  if ok then passed = passed + 1 else failed = failed + 1 end
  io.stderr:write(string.format('%5.1fs ', (vim.loop.hrtime() - started) / 1e9) .. (ok and 'ok   ' or 'FAIL ') .. name .. (ok and '' or (': ' .. vim.inspect(detail))) .. '\n')
end

local function finish()
  io.stderr:write(string.format('%d passed, %d failed\n', passed, failed))
  vim.cmd(failed == 0 and 'qall!' or 'cquit 1')
end

vim.cmd('edit ' .. dir .. '/paper.tex')
local buf = vim.api.nvim_get_current_buf()
local uri = vim.uri_from_bufnr(buf)
local id = vim.lsp.start_client({
  name = 'paperlens',
  cmd = { server, 'serve' },
  cmd_env = { DOTNET_EnableDiagnostics = '0' },
  root_dir = dir,
  init_options = { corpus = { paths = { corpus } }, index = { path = dir .. '/.index/index.db' } },
})
vim.lsp.buf_attach_client(buf, id)
local client = vim.lsp.get_client_by_id(id)

local function request(method, params)
  local result, err = client.request_sync(method, params, 20000, buf)
  if not result then return nil, err end
  return result.result, result.err
end

-- Wait for the server and its index.
check('server starts', vim.wait(30000, function() return client.initialized end, 100), 'not initialized')
check('indexing finishes', vim.wait(120000, function()
  local status = request('paperlens/indexStatus', {})
  return status ~= nil and status.state == 'idle'
end, 250), 'index never idle')

local lines = vim.api.nvim_buf_get_lines(buf, 0, -1, false)
local function at(line, text, after)
  local col = lines[line + 1]:find(text, 1, true) - 1
  return { line = line, character = col + (after and #text or 0) }
end

-- Completion: readable rows, key-prefix matches first (Neovim's built-in completion filters by key prefix).
local list = request('textDocument/completion', { textDocument = { uri = uri }, position = at(3, '\\cite{vas', true) })
local items = list and (list.items or list) or {}
check('completion answers', #items > 0, list)
local first = items[1] or {}
check('a key-prefix match comes first', first.label == 'vaswani2017attention', first.label)
check('the row reads author, year and title', first.detail == 'Vaswani et al. 2017 — Attention Is All You Need', first.detail)
check('the edit replaces only the typed prefix', first.textEdit and first.textEdit.range.start.character == at(3, '\\cite{', true).character
  and first.textEdit.range['end'].character == at(3, '\\cite{vas', true).character, first.textEdit)

-- Hover on a key.
local hover = request('textDocument/hover', { textDocument = { uri = uri }, position = at(5, 'vaswani2017attention') })
local value = hover and hover.contents and hover.contents.value or ''
check('hover shows the paper', value:find('Attention Is All You Need', 1, true) ~= nil, hover)

-- Diagnostics: the misspelt key under \newcite, published to Neovim's diagnostic list.
check('diagnostics arrive', vim.wait(20000, function() return #vim.diagnostic.get(buf) > 0 end, 100), 'none')
local diagnostics = vim.diagnostic.get(buf, { lnum = 5 })
check('the undefined \\newcite key is reported', #diagnostics == 1 and diagnostics[1].message:find("'vaswani2017atention'", 1, true) ~= nil, diagnostics)

-- Code actions, with the context diagnostics as a client may send them (no severity).
local context = {}
for _, d in ipairs(diagnostics) do
  table.insert(context, { range = { start = { line = d.lnum, character = d.col }, ['end'] = { line = d.end_lnum, character = d.end_col } },
    message = d.message, code = d.code, source = d.source })
end
local position = at(5, 'vaswani2017atention')
local actions, err = request('textDocument/codeAction', { textDocument = { uri = uri }, range = { start = position, ['end'] = position },
  context = { diagnostics = context } })
check('code actions answer without severity', actions ~= nil and err == nil, err)
local fix
for _, a in ipairs(actions or {}) do
  if a.title == "Change to 'vaswani2017attention'" then fix = a end
  check('no VS Code-only command is offered: ' .. a.title, not (a.command and a.command.command == 'paperlens.showRelated'), a.command)
end
check('the quick fix is offered', fix ~= nil and fix.kind == 'quickfix', actions)
if fix then
  vim.lsp.util.apply_workspace_edit(fix.edit, client.offset_encoding or 'utf-16')
  local fixed = vim.api.nvim_buf_get_lines(buf, 5, 6, false)[1]
  check('the quick fix edits the buffer', fixed:find('\\newcite{vaswani2017attention}', 1, true) ~= nil, fixed)
end

client.stop()
vim.wait(5000, function() return client.is_stopped() end, 100)
finish()

-- A headless Neovim acting as an independent LSP client: starts
-- `segspec lsp --stdio`, opens the file given on the command line, records
-- the diagnostics it receives and one hover, writes them as JSON and quits.
local out = os.getenv('SEGSPEC_NVIM_OUT')
local bin = os.getenv('SEGSPEC_BIN')
local root = os.getenv('SEGSPEC_ROOT')
local hover_line = tonumber(os.getenv('SEGSPEC_HOVER_LINE'))
local hover_col = tonumber(os.getenv('SEGSPEC_HOVER_COL'))
local results = { diagnostics = {}, hover = vim.NIL, log = {} }

local function write()
  local f = io.open(out, 'w')
  f:write(vim.fn.json_encode(results))
  f:close()
end

local original = vim.lsp.handlers['textDocument/publishDiagnostics']
vim.lsp.handlers['textDocument/publishDiagnostics'] = function(err, result, ctx, config)
  table.insert(results.diagnostics, result)
  pcall(original, err, result, ctx, config)
end

vim.api.nvim_create_autocmd('BufReadPost', {
  pattern = '*.segspec',
  callback = function(args)
    local id = vim.lsp.start_client({ name = 'segspec', cmd = { 'node', bin, 'lsp', '--stdio' }, root_dir = root })
    vim.lsp.buf_attach_client(args.buf, id)
    vim.defer_fn(function()
      local uri = vim.uri_from_bufnr(args.buf)
      local got = vim.wait(20000, function()
        for _, d in ipairs(results.diagnostics) do
          if d.uri == uri and #d.diagnostics > 0 then return true end
        end
        return false
      end, 50)
      table.insert(results.log, 'diagnostics arrived: ' .. tostring(got))
      local params = { textDocument = { uri = uri }, position = { line = hover_line, character = hover_col } }
      local responses = vim.lsp.buf_request_sync(args.buf, 'textDocument/hover', params, 10000)
      if responses then
        for _, response in pairs(responses) do
          if response.result then results.hover = response.result end
        end
      end
      write()
      vim.cmd('qa!')
    end, 10)
  end,
})

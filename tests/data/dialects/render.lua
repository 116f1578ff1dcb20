-- Renders Markdown with pandoc, one document at a time, for tests/dialects.py: each line of
-- stdin is {"text": ..., "from": ..., "standalone": bool}; each line of stdout is
-- {"html": ...} or {"error": ...}. One pandoc process serves a whole test session.
local template = pandoc.template.compile(pandoc.template.default('html5'))
for line in io.lines() do
  local ok, result = pcall(function()
    local request = pandoc.json.decode(line, false)
    local doc = pandoc.read(request.text, request.from)
    local options = {}
    if request.standalone then options = {template = template} end
    return {html = pandoc.write(doc, 'html5', options)}
  end)
  if not ok then result = {error = tostring(result)} end
  io.write(pandoc.json.encode(result), "\n")
  io.flush()
end

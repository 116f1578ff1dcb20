# Renders Markdown with kramdown, one document at a time, for tests/dialects.py: each line of
# stdin is {"text": ..., "input": "kramdown" or "GFM"}; each line of stdout is {"html": ...}
# or {"error": ...}. Jekyll's default is the GFM input, kramdown's own the kramdown input.
require "json"
require "kramdown"
begin
  require "kramdown-parser-gfm"
rescue LoadError
end
$stdout.sync = true
$stdin.each_line do |line|
  begin
    request = JSON.parse(line)
    html = Kramdown::Document.new(request["text"], input: request["input"]).to_html
    puts JSON.generate({"html" => html})
  rescue StandardError, SyntaxError => e
    puts JSON.generate({"error" => e.message})
  end
end

-- wrk script for bench/ingest: each thread posts its own share of prepared, distinct requests
-- and counts 2xx answers. Args: payload file (one "header value<TAB>body" a line), thread
-- count, and the header's name (x-btrz-signature for webhooks, Authorization for seat events).
local counter = 0
local threads = {}

function setup(thread)
  thread:set("id", counter)
  counter = counter + 1
  table.insert(threads, thread)
end

function init(args)
  requests, next_request, ok, wrapped = {}, 0, 0, 0
  local nthreads, header, i = tonumber(args[2]), args[3] or "x-btrz-signature", 0
  for line in io.lines(args[1]) do
    if i % nthreads == id then
      local tab = line:find("\t", 1, true)
      requests[#requests + 1] = wrk.format("POST", nil, {
        ["Content-Type"] = "application/json",
        [header] = line:sub(1, tab - 1),
      }, line:sub(tab + 1))
    end
    i = i + 1
  end
end

function request()
  next_request = next_request + 1
  if next_request > #requests then
    next_request, wrapped = 1, wrapped + 1
  end
  return requests[next_request]
end

function response(status, headers, body)
  if status >= 200 and status < 300 then ok = ok + 1 end
end

function done(summary, latency, requests)
  local total_ok, total_wrapped = 0, 0
  for _, thread in ipairs(threads) do
    total_ok = total_ok + thread:get("ok")
    total_wrapped = total_wrapped + thread:get("wrapped")
  end
  io.write(string.format("counted_2xx %d\nwrapped %d\n", total_ok, total_wrapped))
end

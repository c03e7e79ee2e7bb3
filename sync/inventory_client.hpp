// GET requests to the Betterez Inventory API, one at a time, the way a polite client with no
// published rate limits should make them:
//   - the account's API key in an `x-api-key` header; it is never logged and never part of an
//     error message (errors name the method, the URL, which holds no key, and the status);
//   - TLS verified against the system's CAs, or only the CA file given (--inventory-ca-file);
//   - each request limited to `timeout_ms` (15 s), with no more than `max_attempts` tries;
//   - 429 and 503 wait what Retry-After says (seconds or an HTTP date, at most
//     `max_retry_after_ms`), other 5xx and transport failures back off exponentially;
//   - 401/403 and every other status fail at once: retrying cannot change them.
// Built on libcurl (Debian's): it brings HTTPS_PROXY/NO_PROXY, CA bundles, timeouts and
// compression, which a hand-written Beast client would each have to grow.
#pragma once

#include <atomic>
#include <chrono>
#include <cstddef>
#include <cstdio>
#include <filesystem>
#include <functional>
#include <memory>
#include <optional>
#include <stdexcept>
#include <string>
#include <string_view>

namespace seatmirror::sync {

struct InventoryClientOptions {
  std::string base_url;  // e.g. https://api.betterez.com/inventory (no trailing slash needed)
  std::string api_key;
  std::optional<std::filesystem::path> ca_file;  // trust only this CA (PEM) instead of the system's
  long timeout_ms = 15'000;
  int max_attempts = 5;
  long max_retry_after_ms = 60'000;
  long first_backoff_ms = 500;  // doubled after each failed try
  // Once true, a request in flight is abandoned, a wait cut short, and get() throws: how a
  // server that is shutting down stops a sync at once rather than after its retries.
  const std::atomic<bool>* cancel = nullptr;
};

// The API could not be asked, or would not answer: what was asked, and what went wrong.
class InventoryApiError : public std::runtime_error {
 public:
  using std::runtime_error::runtime_error;
};

// A 200 answer's body, spooled to an unnamed temporary file as it arrived: a page of any size
// costs disk rather than memory, and the request's timeout covers only the network, not what
// the reader does with the page afterwards.
class SpooledBody {
 public:
  explicit SpooledBody(std::FILE* file, std::size_t size) : file_(file, &std::fclose), size_(size) {}
  std::size_t size() const { return size_; }
  std::FILE* file() const { return file_.get(); }
  std::FILE* release() { return file_.release(); }
  // Hands the body to `consume` from its start, a chunk (up to 64 KiB) at a time.
  void read(const std::function<void(std::string_view)>& consume) const;

 private:
  std::unique_ptr<std::FILE, int (*)(std::FILE*)> file_;
  std::size_t size_;
};

class InventoryClient {
 public:
  // Throws InventoryApiError when the URL is not http(s) or the CA file cannot be read.
  explicit InventoryClient(InventoryClientOptions options);
  ~InventoryClient();
  InventoryClient(const InventoryClient&) = delete;
  InventoryClient& operator=(const InventoryClient&) = delete;

  // The body of a 200 answer to GET base_url + path (e.g. "/seatmaps?page=2").
  // Throws InventoryApiError once retrying is over or cannot help.
  SpooledBody get_spooled(std::string_view path);
  std::string get(std::string_view path);  // the same, read into memory

  // Requests made so far, retries included (for the report and the tests).
  int requests_made() const { return requests_made_; }

 private:
  struct Attempt;
  Attempt attempt(const std::string& url, std::FILE* body);
  // libcurl's callbacks: the body (bounded) and the Retry-After header of one attempt.
  static std::size_t keep_body(char* data, std::size_t, std::size_t n, void* attempt);
  static std::size_t read_header(char* data, std::size_t, std::size_t n, void* attempt);
  bool cancelled() const;
  void wait(long wait_ms) const;  // or until cancelled

  InventoryClientOptions options_;
  void* curl_;  // one easy handle: its connection is reused from request to request
  int requests_made_ = 0;
};

}  // namespace seatmirror::sync

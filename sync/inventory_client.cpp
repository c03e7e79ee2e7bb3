#include "sync/inventory_client.hpp"

#include <curl/curl.h>
#include <fmt/format.h>

#include <cerrno>
#include <cstring>
#include <filesystem>
#include <vector>

#include <algorithm>
#include <cctype>
#include <charconv>
#include <ctime>
#include <fstream>
#include <mutex>
#include <thread>

namespace seatmirror::sync {
namespace {

// A page larger than this is refused rather than held: a list of 150,000 seat fees is ~120 MB.
constexpr std::size_t kMaxAnswerBytes = 512u << 20;

void init_curl_once() {
  static std::once_flag once;
  std::call_once(once, [] { curl_global_init(CURL_GLOBAL_DEFAULT); });
}

bool is_retried(long status) { return status == 429 || status >= 500; }

// Retry-After as seconds or an HTTP date; nullopt when absent or unreadable.
std::optional<long> retry_after_ms(std::string_view value) {
  while (!value.empty() && (value.back() == ' ' || value.back() == '\r' || value.back() == '\n'))
    value.remove_suffix(1);
  while (!value.empty() && value.front() == ' ') value.remove_prefix(1);
  long seconds = 0;
  const auto [end, error] = std::from_chars(value.data(), value.data() + value.size(), seconds);
  if (error == std::errc{} && end == value.data() + value.size() && seconds >= 0) return seconds * 1000;
  const auto when = curl_getdate(std::string{value}.c_str(), nullptr);
  if (when < 0) return std::nullopt;
  return std::max<long>(0, static_cast<long>(when - std::time(nullptr)) * 1000);
}

std::string reason_of(long status) {
  switch (status) {
    case 401:
    case 403:
      return "the API key was refused; check the key in --api-key-file (or SEATMIRROR_INVENTORY_API_KEY_FILE)";
    case 404:
      return "no such path; check --inventory-url (it ends in /inventory)";
    case 429:
      return "too many requests, and Retry-After did not help";
    default:
      return status >= 500 ? "the API failed on its side" : "the API refused the request";
  }
}

}  // namespace

struct InventoryClient::Attempt {
  CURLcode transport = CURLE_OK;
  std::string transport_error;
  long status = 0;
  std::FILE* body = nullptr;  // an unnamed temporary file, owned by the caller
  std::size_t body_size = 0;
  bool body_unwritable = false;
  std::optional<long> retry_after_ms;
  bool too_large = false;
};

namespace {

// libcurl's progress callback: non-zero aborts the transfer.
int check_cancel(void* cancel, curl_off_t, curl_off_t, curl_off_t, curl_off_t) {
  return static_cast<const std::atomic<bool>*>(cancel)->load() ? 1 : 0;
}

}  // namespace

InventoryClient::InventoryClient(InventoryClientOptions options) : options_(std::move(options)) {
  if (!options_.base_url.starts_with("https://") && !options_.base_url.starts_with("http://")) {
    throw InventoryApiError{fmt::format("--inventory-url {}: expected an https:// URL", options_.base_url)};
  }
  while (options_.base_url.ends_with('/')) options_.base_url.pop_back();
  // The key goes into a header line: a control character could end it and add another.
  if (options_.api_key.empty() || std::any_of(options_.api_key.begin(), options_.api_key.end(),
                                              [](unsigned char c) { return c < 0x20 || c == 0x7f; })) {
    throw InventoryApiError{"the API key is empty or holds control characters (a line break?); one key on one line"};
  }
  if (options_.ca_file && !std::ifstream{*options_.ca_file}) {
    throw InventoryApiError{fmt::format("--inventory-ca-file {}: cannot be read", options_.ca_file->string())};
  }
  init_curl_once();
  curl_ = curl_easy_init();
  if (!curl_) throw InventoryApiError{"cannot start an HTTP client (out of memory?)"};
}

InventoryClient::~InventoryClient() { curl_easy_cleanup(static_cast<CURL*>(curl_)); }

std::size_t InventoryClient::keep_body(char* data, std::size_t, std::size_t n, void* attempt_pointer) {
  auto& attempt = *static_cast<Attempt*>(attempt_pointer);
  if (attempt.body_size + n > kMaxAnswerBytes) {
    attempt.too_large = true;
    return 0;  // stops the transfer
  }
  if (std::fwrite(data, 1, n, attempt.body) != n) {
    attempt.body_unwritable = true;
    return 0;
  }
  attempt.body_size += n;
  return n;
}

std::size_t InventoryClient::read_header(char* data, std::size_t, std::size_t n, void* attempt_pointer) {
  const std::string_view line{data, n};
  constexpr std::string_view kName = "retry-after:";
  const auto lower = [](char a, char b) { return a == std::tolower(static_cast<unsigned char>(b)); };
  if (line.size() > kName.size() && std::equal(kName.begin(), kName.end(), line.begin(), lower)) {
    static_cast<Attempt*>(attempt_pointer)->retry_after_ms = retry_after_ms(line.substr(kName.size()));
  }
  return n;
}

InventoryClient::Attempt InventoryClient::attempt(const std::string& url, std::FILE* body) {
  auto* curl = static_cast<CURL*>(curl_);
  Attempt result;
  result.body = body;
  curl_easy_reset(curl);
  char error_text[CURL_ERROR_SIZE] = {};
  curl_slist* headers = nullptr;
  const auto key_header = "x-api-key: " + options_.api_key;
  headers = curl_slist_append(headers, key_header.c_str());
  headers = curl_slist_append(headers, "Accept: application/json");
  curl_easy_setopt(curl, CURLOPT_URL, url.c_str());
  curl_easy_setopt(curl, CURLOPT_HTTPGET, 1L);
  curl_easy_setopt(curl, CURLOPT_HTTPHEADER, headers);
  curl_easy_setopt(curl, CURLOPT_USERAGENT, "seatmirror-sync");
  curl_easy_setopt(curl, CURLOPT_TIMEOUT_MS, options_.timeout_ms);
  curl_easy_setopt(curl, CURLOPT_NOSIGNAL, 1L);
  curl_easy_setopt(curl, CURLOPT_ACCEPT_ENCODING, "");  // every encoding libcurl can decode
  curl_easy_setopt(curl, CURLOPT_PROTOCOLS_STR, "https,http");
  curl_easy_setopt(curl, CURLOPT_ERRORBUFFER, error_text);
  if (options_.ca_file) {
    curl_easy_setopt(curl, CURLOPT_CAINFO, options_.ca_file->c_str());
    curl_easy_setopt(curl, CURLOPT_CAPATH, nullptr);  // only this CA, not the system's as well
  }
  curl_easy_setopt(curl, CURLOPT_WRITEDATA, &result);
  curl_easy_setopt(curl, CURLOPT_WRITEFUNCTION, &InventoryClient::keep_body);
  curl_easy_setopt(curl, CURLOPT_HEADERDATA, &result);
  curl_easy_setopt(curl, CURLOPT_HEADERFUNCTION, &InventoryClient::read_header);
  if (options_.cancel) {
    curl_easy_setopt(curl, CURLOPT_NOPROGRESS, 0L);
    curl_easy_setopt(curl, CURLOPT_XFERINFODATA, options_.cancel);
    curl_easy_setopt(curl, CURLOPT_XFERINFOFUNCTION, &check_cancel);
  }
  ++requests_made_;
  result.transport = curl_easy_perform(curl);
  result.transport_error = error_text[0] ? error_text : curl_easy_strerror(result.transport);
  curl_easy_getinfo(curl, CURLINFO_RESPONSE_CODE, &result.status);
  curl_slist_free_all(headers);
  return result;
}

bool InventoryClient::cancelled() const { return options_.cancel && options_.cancel->load(); }

void InventoryClient::wait(long wait_ms) const {
  const auto until = std::chrono::steady_clock::now() + std::chrono::milliseconds(wait_ms);
  while (!cancelled() && std::chrono::steady_clock::now() < until) {
    std::this_thread::sleep_for(std::min<std::chrono::steady_clock::duration>(
        std::chrono::milliseconds(100), until - std::chrono::steady_clock::now()));
  }
}

void SpooledBody::read(const std::function<void(std::string_view)>& consume) const {
  std::rewind(file_.get());
  std::vector<char> chunk(64 * 1024);
  while (const auto n = std::fread(chunk.data(), 1, chunk.size(), file_.get())) consume({chunk.data(), n});
}

std::string InventoryClient::get(std::string_view path) {
  const auto body = get_spooled(path);
  std::string text;
  text.reserve(body.size());
  body.read([&](std::string_view chunk) { text.append(chunk); });
  return text;
}

SpooledBody InventoryClient::get_spooled(std::string_view path) {
  const auto url = options_.base_url + std::string{path};
  long backoff_ms = options_.first_backoff_ms;
  for (int attempt_number = 1;; ++attempt_number) {
    if (cancelled()) throw InventoryApiError{fmt::format("GET {}: stopped (seatmirror is shutting down)", url)};
    SpooledBody spool{std::tmpfile(), 0};  // each try starts a file of its own
    if (!spool.file())
      throw InventoryApiError{fmt::format("GET {}: no temporary file for the answer ({})", url, std::strerror(errno))};
    auto result = attempt(url, spool.file());
    const bool last = attempt_number >= options_.max_attempts;
    if (result.body_unwritable) {
      throw InventoryApiError{fmt::format("GET {}: the answer could not be written to a temporary file (is {} full?)",
                                          url, std::filesystem::temp_directory_path().string())};
    }
    if (result.too_large) {
      throw InventoryApiError{fmt::format("GET {}: the answer is larger than {} MiB", url, kMaxAnswerBytes >> 20)};
    }
    if (result.transport != CURLE_OK) {
      // A certificate problem will not change by waiting: say so at once.
      if (result.transport == CURLE_PEER_FAILED_VERIFICATION || result.transport == CURLE_SSL_CACERT_BADFILE) {
        throw InventoryApiError{
            fmt::format("GET {}: the server's certificate is not trusted ({}); for a private CA "
                        "give --inventory-ca-file",
                        url, result.transport_error)};
      }
      if (last) {
        throw InventoryApiError{
            fmt::format("GET {}: {} (after {} tries)", url, result.transport_error, attempt_number)};
      }
    } else if (result.status == 200) {
      return SpooledBody{spool.release(), result.body_size};
    } else if (!is_retried(result.status) || last) {
      throw InventoryApiError{
          fmt::format("GET {}: HTTP {}: {}{}", url, result.status, reason_of(result.status),
                      last && is_retried(result.status) ? fmt::format(" (after {} tries)", attempt_number) : "")};
    }
    long wait_ms = backoff_ms;
    if ((result.status == 429 || result.status == 503) && result.retry_after_ms) {
      wait_ms = std::min(*result.retry_after_ms, options_.max_retry_after_ms);
    }
    wait(wait_ms);
    backoff_ms = std::min(backoff_ms * 2, 30'000L);
  }
}

}  // namespace seatmirror::sync

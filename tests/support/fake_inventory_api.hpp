// A stand-in for the Betterez Inventory API, which cannot run here: an HTTPS server on an
// ephemeral loopback port with a certificate from its own test CA (made with the openssl
// command), answering GETs from a handler the test gives, one connection at a time (the
// client it serves makes one request at a time). It records each request's target and
// x-api-key so that a test can check what was asked and with which key.
#pragma once

#include "tests/support/test_database.hpp"

#include <atomic>
#include <filesystem>
#include <functional>
#include <map>
#include <mutex>
#include <string>
#include <thread>
#include <vector>

namespace seatmirror::test {

struct FakeAnswer {
  unsigned status = 200;
  std::string body;
  std::map<std::string, std::string> headers;  // e.g. {"Retry-After", "1"}
};

struct FakeRequest {
  std::string target;   // path and query, as sent
  std::string api_key;  // the x-api-key header ("" when absent)
};

class FakeInventoryApi {
 public:
  using Handler = std::function<FakeAnswer(const FakeRequest&)>;

  explicit FakeInventoryApi(Handler handler);
  ~FakeInventoryApi();
  FakeInventoryApi(const FakeInventoryApi&) = delete;
  FakeInventoryApi& operator=(const FakeInventoryApi&) = delete;

  // https://127.0.0.1:PORT/inventory: what --inventory-url takes.
  std::string base_url() const;
  // The test CA's certificate (PEM): what --inventory-ca-file takes.
  const std::filesystem::path& ca_file() const { return ca_file_; }
  std::vector<FakeRequest> requests() const;

 private:
  void serve();
  void serve_connection(void* socket);

  TempDir dir_;
  std::filesystem::path ca_file_;
  Handler handler_;
  std::atomic<unsigned short> port_{0};  // set by the serving thread once it listens
  std::atomic<int> listen_fd_{-1};
  std::atomic<bool> stopping_{false};
  mutable std::mutex mutex_;
  std::vector<FakeRequest> requests_;
  std::thread thread_;
};

}  // namespace seatmirror::test

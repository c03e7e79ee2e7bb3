// `replay`: applies payload files straight to a database through the same DeliveryWriter as
// live deliveries: this thread reads and decodes, the writer thread only writes. Batches are
// larger than a server's (a file allows it: a crash mid-batch loses only uncommitted work,
// and re-running is safe because deliveries are deduplicated).
#include "app/commands.hpp"

#include "app/payload_reader.hpp"
#include "app/progress_bar.hpp"
#include "app/secrets.hpp"
#include "decode/bz_date.hpp"
#include "projection/delivery_writer.hpp"
#include "receiver/webhook_client.hpp"
#include "storage/database.hpp"
#include "storage/postgres_database.hpp"

#include <fmt/format.h>
#include <boost/json/parse.hpp>

#include <algorithm>
#include <array>
#include <chrono>
#include <cstdio>
#include <deque>
#include <mutex>

namespace seatmirror::cli {
namespace {

struct ReplayOptions {
  std::string db_path = "seatmirror.db";
  std::string to_url;
  std::string secret;
  std::string secret_file;  // one value: the arguments after it are payloads
  bool insecure = false;
  std::string cacert;
  std::vector<std::string> inputs;
  int batch_size = 2000;
  bool quiet = false;
  std::string durability = "full";
};

void print_result(const std::string& source, const DeliveryResult& result) {
  if (result.rejection) {
    fmt::print("{}\trejected\t{}: {}\n", source, to_string(result.rejection->reason), result.rejection->message);
  } else {
    fmt::print("{}\t{}\t{}\n", result.event_id, result.event, to_string(result.outcome));
  }
}

std::optional<PayloadReader> open_inputs(const ReplayOptions& options) {
  try {
    return PayloadReader{std::vector<std::filesystem::path>(options.inputs.begin(), options.inputs.end())};
  } catch (const InputError& e) {
    fmt::print(stderr, "error: {}\n", e.what());
    return std::nullopt;
  }
}

// The outcome a receiver answered: "applied" etc. for 200, else "<status> <error>: <message>".
std::string describe_answer(const receiver::WebhookClient::Response& response, std::string& event_id) {
  boost::system::error_code ec;
  const auto body = boost::json::parse(response.body(), ec);
  const auto* object = ec ? nullptr : body.if_object();
  auto field = [&](const char* key) -> std::string {
    const auto* value = object ? object->if_contains(key) : nullptr;
    return value && value->is_string() ? std::string{value->get_string()} : std::string{};
  };
  event_id = field("id");
  if (response.result() == boost::beast::http::status::ok) return field("status");
  return fmt::format("{} {}: {}", response.result_int(), field("error"), field("message"));
}

// The first secret of `file`. A payload given where the secret file belongs (a JSON object
// or array) is refused: signing with it would send every delivery with a wrong signature.
std::string signing_secret(const std::string& file) {
  const auto secrets = read_secret_file(file);
  const auto& first = secrets.front();
  if (first.starts_with('{') || first.starts_with('[')) {
    throw std::runtime_error(fmt::format(
        "{}: this looks like a payload (JSON), not a secret; give the secret file first, then the payloads", file));
  }
  return first;
}

int run_replay_remote(const ReplayOptions& options) {
  auto reader = open_inputs(options);
  if (!reader) return kExitUsage;
  std::string secret = options.secret;
  if (secret.empty() && !options.secret_file.empty()) {
    try {
      secret = signing_secret(options.secret_file);
    } catch (const std::runtime_error& e) {
      fmt::print(stderr, "error: --secret-file {}\n", e.what());
      return kExitUsage;
    }
  }
  if (secret.empty()) {
    fmt::print(stderr, "error: replay --to needs --secret-file FILE (or SEATMIRROR_SECRET) to sign the deliveries\n");
    return kExitUsage;
  }
  std::optional<receiver::WebhookClient> client;
  try {
    client.emplace(options.to_url, receiver::ClientOptions{.insecure = options.insecure, .ca_file = options.cacert});
  } catch (const std::invalid_argument& e) {
    fmt::print(stderr, "error: {}\n", e.what());
    return kExitUsage;
  }
  ProgressBar progress{reader->total_bytes()};
  std::uint64_t total = 0, accepted = 0, rejected = 0, failed = 0;
  Payload payload;
  while (reader->next(payload)) {
    ++total;
    const auto response = client->post_webhook(payload.body, secret);
    std::string event_id;
    const auto outcome = describe_answer(response, event_id);
    const unsigned status = response.result_int();
    if (status == 200) {
      ++accepted;
    } else if (status >= 500) {
      ++failed;
    } else {
      ++rejected;
    }
    if (!options.quiet || status != 200) {
      fmt::print("{}\t{}\n", event_id.empty() ? payload.source : event_id, outcome);
    }
    progress.update(reader->bytes_done(), total);
  }
  fmt::print("sent {} payloads to {}: {} accepted, {} rejected, {} not stored (retry those)\n", total, options.to_url,
             accepted, rejected, failed);
  if (failed) return kExitFailure;
  return rejected ? kExitRejected : kExitOk;
}

// What the writer has finished, handed from its thread to this one in order.
class FinishedDeliveries {
 public:
  void push(std::string source, WriteResult result) {
    std::lock_guard lock{mutex_};
    finished_.emplace_back(std::move(source), std::move(result));
  }
  std::deque<std::pair<std::string, WriteResult>> take() {
    std::lock_guard lock{mutex_};
    return std::exchange(finished_, {});
  }

 private:
  std::mutex mutex_;
  std::deque<std::pair<std::string, WriteResult>> finished_;
};

int run_replay(const ReplayOptions& options) {
  if (!options.to_url.empty()) return run_replay_remote(options);
  auto reader = open_inputs(options);
  if (!reader) return kExitUsage;
  const auto batch = static_cast<std::size_t>(options.batch_size);
  DeliveryWriter writer{options.db_path,
                        {.durability_full = options.durability != "normal",
                         .max_batch = batch,
                         .max_queued = std::max<std::size_t>(1, batch / 2),  // memory: queued + writing + reported
                         .wal_autocheckpoint_pages = kBulkLoadWalPages}};
  ProgressBar progress{reader->total_bytes()};
  FinishedDeliveries finished;
  std::array<std::uint64_t, 5> counts{};
  std::uint64_t total = 0;
  std::optional<std::pair<std::string, std::string>> failure;  // first delivery not stored, and why
  const auto started = std::chrono::steady_clock::now();

  // Prints and counts what the writer finished; false once a delivery could not be stored.
  auto report_finished = [&] {
    for (auto& [source, written] : finished.take()) {
      if (!written.stored) {
        if (!failure) failure.emplace(source, written.error);
        continue;
      }
      ++counts[static_cast<std::size_t>(written.result.outcome)];
      ++total;
      if (!options.quiet || written.result.rejection) print_result(source, written.result);
    }
    return !failure;
  };
  Payload payload;
  while (report_finished() && reader->next(payload)) {
    writer.submit(
        prepare_delivery(std::move(payload.body), std::chrono::system_clock::now()),
        [&finished, source = payload.source](WriteResult written) { finished.push(source, std::move(written)); });
    progress.update(reader->bytes_done(), total);
  }
  writer.stop();  // commits what is queued
  report_finished();
  if (failure) {
    std::fflush(stdout);
    fmt::print(stderr,
               "error: {} (at {})\nThat payload and any after it that were not listed above are not stored; "
               "everything listed is. Fix the cause and run the same replay again: stored payloads count as "
               "duplicates.\n",
               failure->second, failure->first);
    return kExitFailure;
  }
  const std::chrono::duration<double> elapsed = std::chrono::steady_clock::now() - started;
  fmt::print(
      "replayed {} payloads into {}: {} applied, {} duplicate, {} stale, {} ignored, {} rejected ({:.2f} s, {:.0f} "
      "payloads/s)\n",
      total, printable_db_name(options.db_path), counts[0], counts[1], counts[2], counts[3], counts[4], elapsed.count(),
      elapsed.count() > 0 ? static_cast<double>(total) / elapsed.count() : 0.0);
  return counts[static_cast<std::size_t>(Outcome::rejected)] > 0 ? kExitRejected : kExitOk;
}

}  // namespace

void add_replay_command(CLI::App& app, Runner& run) {
  auto options = std::make_shared<ReplayOptions>();
  auto* command = app.add_subcommand(
      "replay",
      "Apply webhook payload files to the database: FILE.json (one body), FILE.ndjson (one per "
      "line) or a directory of them (name order). Prints id, event and outcome per payload.\n"
      "With --to URL, posts them to a running receiver instead, signed like Betterez does.\n"
      "Exit status: 0 all accepted, 1 some rejected, 2 usage error, 3 database failure (or, with --to, "
      "deliveries not stored).");
  add_db_option(*command, options->db_path);
  command->add_option("inputs", options->inputs, "payload files or directories")->required();
  command->add_option("--batch-size", options->batch_size, "payloads committed per transaction")
      ->check(CLI::Range(1, 1'000'000))
      ->capture_default_str();
  command
      ->add_option("--durability", options->durability,
                   "full: every commit survives power loss; normal: faster, survives crashes only")
      ->check(CLI::IsMember({"full", "normal"}))
      ->envname("SEATMIRROR_DURABILITY")
      ->capture_default_str();
  command->add_flag("-q,--quiet", options->quiet, "print only rejected payloads and the summary");
  command->add_option("--to", options->to_url,
                      "post to this receiver URL instead of writing --db, e.g. "
                      "https://127.0.0.1:8443/webhooks/inventory");
  command->add_option("--secret", options->secret, "secret to sign with (prefer --secret-file: arguments show in ps)")
      ->envname("SEATMIRROR_SECRET");
  command
      ->add_option("--secret-file", options->secret_file,
                   "file whose first secret signs the deliveries (one file: the arguments after it are payloads)")
      ->envname("SEATMIRROR_SECRET_FILE");
  command->add_flag("--insecure", options->insecure, "accept a self-signed certificate (development only)");
  command
      ->add_option("--cacert", options->cacert,
                   "with --to: trust this PEM certificate or CA (e.g. serve --dev's .seatmirror/dev-certificate.pem) "
                   "instead of the system's")
      ->excludes("--insecure");
  command->callback([&run, options] { run = [options] { return run_replay(*options); }; });
}

}  // namespace seatmirror::cli

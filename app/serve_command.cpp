// `serve`: the HTTPS webhook receiver. This file turns options into a ServerConfig, makes
// sure there is a certificate and a secret (or says exactly what to pass), and wires the
// writer, metrics and server together.
#include "app/commands.hpp"

#include "app/build_info.hpp"
#include "app/inventory_api_options.hpp"
#include "app/secrets.hpp"
#include "decode/json_fields.hpp"
#include "projection/delivery_writer.hpp"
#include "read_side/read_models.hpp"
#include "read_side/seat_usage.hpp"
#include "receiver/api_routes.hpp"
#include "receiver/metrics.hpp"
#include "receiver/private_file.hpp"
#include "receiver/seat_api_routes.hpp"
#include "receiver/server.hpp"
#include "receiver/tls_context.hpp"
#include "storage/postgres_database.hpp"
#include "sync/sync_schedule.hpp"

#include <fmt/format.h>
#include <spdlog/spdlog.h>

#include <algorithm>
#include <charconv>
#include <optional>
#include <thread>

namespace seatmirror::cli {
namespace {

// Defaults for the server's limits come from ServerConfig and WriterOptions, so that each
// default is written once.
const receiver::ServerConfig kServerDefaults{};
const WriterOptions kWriterDefaults{};

struct ServeOptions {
  std::string db_path = "seatmirror.db";
  std::string read_db;  // a PostgreSQL replica the read API answers from; empty: --db
  std::string listen = "127.0.0.1:8443";
  std::string tls_cert, tls_key;
  bool dev = false;
  std::string state_dir = ".seatmirror";
  bool plain_http = false;
  std::string secret;
  std::vector<std::string> secret_files;
  bool no_verify = false;
  int tolerance_s = static_cast<int>(kServerDefaults.signatures.tolerance.count());
  std::int64_t resend_window_s = kServerDefaults.signatures.resend_window.count();
  std::size_t max_body = kServerDefaults.max_body_bytes;
  std::string durability = "full";
  int threads = static_cast<int>(std::max(1u, std::thread::hardware_concurrency()));
  int idle_timeout_s = static_cast<int>(kServerDefaults.idle_timeout_ms.count() / 1000);
  int request_timeout_s = static_cast<int>(kServerDefaults.request_timeout_ms.count() / 1000);
  std::size_t max_connections = kServerDefaults.max_connections;
  std::size_t max_connections_per_peer = kServerDefaults.max_connections_per_peer;
  std::size_t max_batch = kWriterDefaults.max_batch;
  int busy_timeout_ms = kWriterDefaults.busy_timeout_ms;
  std::vector<std::string> read_tokens;
  std::vector<std::string> read_token_files;
  std::vector<std::string> seat_api_credential_files;
  std::vector<std::string> admin_token_files;
  std::int64_t sync_every_s = 0;  // 0: off
  bool sync_delete_missing = false;
  InventoryApiOptions inventory;
  std::string sequence_account_id;
};

constexpr std::size_t kMaxReaderConnections = 8;

struct UsageError : std::runtime_error {
  using std::runtime_error::runtime_error;
};

// Sequence's documented example (seed 000), for the line --dev prints.
constexpr const char* kSeedSeatEventExample =
    R"({"customerEventId":"event-id-H4twuTWpYx1rkd8OMTki2hTUcZ","customerAlias":"customer-id-2H4u5BBwBWsS5V2sroRFqJfTXpW",)"
    R"("seatType":"admin","eventTimestamp":"2022-10-01T00:00:00Z","total":1})";

void parse_listen(const std::string& listen, receiver::ServerConfig& config) {
  const auto colon = listen.rfind(':');
  unsigned port = 0;
  const char* port_begin = listen.data() + colon + 1;
  const char* port_end = listen.data() + listen.size();
  if (colon == std::string::npos || std::from_chars(port_begin, port_end, port).ptr != port_end || port > 65535) {
    throw UsageError(fmt::format("--listen {}: expected HOST:PORT, e.g. 127.0.0.1:8443 or [::1]:8443", listen));
  }
  auto host = listen.substr(0, colon);
  if (host.size() >= 2 && host.front() == '[' && host.back() == ']') host = host.substr(1, host.size() - 2);
  config.host = host;
  config.port = static_cast<unsigned short>(port);
}

// --state-dir holds --dev's key and secrets: owner-only, however it was made.
void secure_state_dir(const std::string& state_dir) {
  if (receiver::make_private_folder(state_dir)) {
    spdlog::warn("--state-dir {} could be entered by other users: its mode is now 0700 (owner only)", state_dir);
  }
}

void configure_tls(const ServeOptions& options, receiver::ServerConfig& config) {
  if (!options.tls_cert.empty() || !options.tls_key.empty()) {
    if (options.tls_cert.empty() || options.tls_key.empty())
      throw UsageError("pass both --tls-cert FILE and --tls-key FILE");
    config.certificate_chain = options.tls_cert;
    config.private_key = options.tls_key;
  } else if (options.plain_http) {
    config.tls = false;
    spdlog::warn("--plain-http: serving WITHOUT TLS; only do this behind a TLS-terminating proxy on the same host");
  } else if (options.dev) {
    const auto certificate = receiver::ensure_dev_certificate(options.state_dir);
    spdlog::info(
        "{} development certificate {} (self-signed for localhost; clients need --insecure or this file as CA)",
        certificate.created ? "created" : "using", certificate.certificate.string());
    config.certificate_chain = certificate.certificate;
    config.private_key = certificate.private_key;
  } else {
    throw UsageError(
        "no TLS certificate: pass --tls-cert FILE --tls-key FILE, or --dev for a self-signed development "
        "certificate, or --plain-http behind a TLS-terminating proxy");
  }
}

void configure_secrets(const ServeOptions& options, receiver::ServerConfig& config) {
  if (options.no_verify) {
    config.verify_signatures = false;
    spdlog::warn("--no-verify: webhook signatures are NOT checked; anyone who can reach {} can write to {}",
                 options.listen, printable_db_name(options.db_path));
    return;
  }
  auto& secrets = config.signatures.secrets;
  auto& public_keys = config.signatures.public_keys;
  if (!options.secret.empty()) secrets.push_back(options.secret);
  for (const auto& file : options.secret_files) {
    for (auto& line : read_secret_file(file)) {
      // A secret file may hold HMAC secrets and Standard Webhooks public keys (whpk_, for v1a).
      if (line.starts_with("whpk_")) {
        auto key = receiver::decode_public_key(line);
        if (!key)
          throw UsageError(fmt::format("{}: a whpk_ line must be the base64 of a 32-byte ed25519 public key", file));
        public_keys.push_back(std::move(*key));
      } else if (line.starts_with("whsk_")) {
        throw UsageError(
            fmt::format("{}: holds a whsk_ signing key; the receiver needs only its whpk_ public key", file));
      } else {
        secrets.push_back(std::move(line));
      }
    }
  }
  if (secrets.empty() && options.dev) {
    bool created = false;
    secrets.push_back(ensure_dev_secret(options.state_dir, created));
    spdlog::info("{} development webhook secret {}/dev-secret", created ? "created" : "using", options.state_dir);
  }
  if (secrets.empty() && public_keys.empty()) {
    throw UsageError(
        "no webhook secret: pass --secret-file FILE (one secret per line) or set SEATMIRROR_SECRET; "
        "--dev makes a development secret; --no-verify skips verification for local experiments");
  }
  config.signatures.tolerance = std::chrono::seconds{options.tolerance_s};
  config.signatures.resend_window = std::chrono::seconds{options.resend_window_s};
}

// Bearer tokens and Basic passwords are what stands between the network and the data: one
// short enough to guess is refused at start, not discovered after it is guessed.
constexpr std::size_t kMinTokenCharacters = 16;

void require_strong(std::string_view token, const std::string& source, std::string_view what) {
  if (token.size() >= kMinTokenCharacters) return;
  throw UsageError(fmt::format("{}: {} {}; use at least {} characters (e.g. openssl rand -hex 24)", source, what,
                               token.empty() ? "is empty" : fmt::format("has only {} characters", token.size()),
                               kMinTokenCharacters));
}

// The read API's bearer tokens: --read-token and every line of each --read-token-file.
std::vector<std::string> read_api_tokens(const ServeOptions& options) {
  std::vector<std::string> tokens = options.read_tokens;
  for (const auto& token : tokens) require_strong(token, "--read-token", "a read token");
  for (const auto& file : options.read_token_files) {
    for (auto& token : read_secret_file(file)) {
      require_strong(token, file, "a read token");
      tokens.push_back(std::move(token));
    }
  }
  return tokens;
}

// The seat API's credentials, admin tokens and account id. --dev makes a development credential
// when none is given.
receiver::SeatApiConfig configure_seat_api(const ServeOptions& options, ReadModels& reads) {
  receiver::SeatApiConfig seat_api;
  for (const auto& file : options.seat_api_credential_files) {
    for (auto& credential : read_secret_file(file)) {
      const auto colon = credential.find(':');
      if (colon == std::string::npos || colon == 0)
        throw UsageError(fmt::format("{}: each line must be key:secret", file));
      require_strong(std::string_view{credential}.substr(colon + 1), file,
                     fmt::format("the password of {}", credential.substr(0, colon)));
      seat_api.credentials.push_back(std::move(credential));
    }
  }
  if (seat_api.credentials.empty() && options.dev) {
    bool created = false;
    seat_api.credentials.push_back(ensure_dev_seat_api_credential(options.state_dir, created));
    spdlog::info("{} development seat API credential {}/dev-seat-api-credential", created ? "created" : "using",
                 options.state_dir);
  }
  for (const auto& file : options.admin_token_files) {
    for (auto& token : read_secret_file(file)) {
      require_strong(token, file, "an admin token");
      seat_api.admin_tokens.push_back(std::move(token));
    }
  }
  if (!options.sequence_account_id.empty()) {
    if (!is_uuid(options.sequence_account_id)) throw UsageError("--sequence-account-id must be a UUID");
    seat_api.sequence_account_id = to_lower_ascii(options.sequence_account_id);
  } else {
    seat_api.sequence_account_id = reads.sequence_account_id();
  }
  if (seat_api.credentials.empty())
    spdlog::info("seat event API off: pass --seat-api-credentials-file FILE to serve POST /api/seat-events");
  return seat_api;
}

void print_welcome(const ServeOptions& options, const receiver::SeatApiConfig& seat_api, bool read_api_on,
                   const std::string& base_url) {
  spdlog::info("listening on {}", base_url);
  spdlog::info("register this URL as the Betterez inventory webhook: {}/webhooks/inventory", base_url);
  if (read_api_on) {
    // The token itself is never logged: the page asks for one, or takes it from the fragment
    // (which the browser does not send to the server).
    spdlog::info("browse the copy: {}/ (the page asks for a read token, or open {}/#token=TOKEN)", base_url, base_url);
  }
  if (options.dev) {
    spdlog::info(
        "send it the fixtures: build/seatmirror replay --to {}/webhooks/inventory --insecure "
        "--secret-file {}/dev-secret fixtures/seeds",
        base_url, options.state_dir);
    if (!seat_api.credentials.empty() && options.seat_api_credential_files.empty()) {
      spdlog::info(
          "post the seat event of Sequence's example: curl --insecure --user \"$(cat {}/dev-seat-api-credential)\" "
          "-H 'Content-Type: application/json' {}/api/seat-events --data '{}'",
          options.state_dir, base_url, kSeedSeatEventExample);
    }
  }
}

void check_read_db(const ServeOptions& options) {
  if (options.read_db.empty()) return;
  if (!is_postgres_url(options.read_db) || !is_postgres_url(options.db_path)) {
    throw UsageError(
        "--read-db names a PostgreSQL replica of the --db postgresql://… primary; "
        "an SQLite file serves its reads itself");
  }
}

// A duration option's value in seconds: a number, or one with a unit (90s, 15m, 48h, 7d).
CLI::AsNumberWithUnit seconds_with_unit() {
  return CLI::AsNumberWithUnit(std::map<std::string, std::int64_t>{{"s", 1}, {"m", 60}, {"h", 3600}, {"d", 86400}},
                               CLI::AsNumberWithUnit::CASE_SENSITIVE);
}

// A sync run as /metrics and /healthz show it.
receiver::SyncRunFigures figures_of(const sync::SyncRun& run) {
  receiver::SyncRunFigures figures{
      std::string{to_string(run.result)}, run.error, run.finished, run.duration.count(), run.report.complete, {}};
  for (const auto& [family, report] : run.report.families) {
    for (const auto& [kind, member] : sync::kFamilyCounts) figures.counts[family][std::string{kind}] = report.*member;
  }
  return figures;
}

// --sync-every: the schedule, its series registered at 0; none when it is off.
std::unique_ptr<sync::SyncSchedule> start_sync(const ServeOptions& options, sync::InventoryClientOptions client,
                                               DeliveryWriter& writer, receiver::Metrics& metrics) {
  if (options.sync_every_s == 0) return nullptr;
  const std::chrono::milliseconds every{options.sync_every_s * 1000};
  std::vector<std::string> drift_kinds;  // what a run found; what it repaired is counted apart
  for (const auto& [kind, member] : sync::kFamilyCounts) {
    if (kind != "repaired" && kind != "superseded") drift_kinds.emplace_back(kind);
  }
  metrics.enable_sync(every, sync::family_names(), drift_kinds);
  spdlog::info("sync with {} every {} s{}", client.base_url, options.sync_every_s,
               options.sync_delete_missing ? ", tombstoning what it no longer lists" : "");
  return std::make_unique<sync::SyncSchedule>(
      sync::SyncScheduleOptions{.every = every,
                                .client = std::move(client),
                                .db = options.db_path,
                                .delete_missing = options.sync_delete_missing},
      writer, [&metrics](const sync::SyncRun& run) { metrics.observe_sync_run(figures_of(run)); });
}

int run_serve(const ServeOptions& options) {
  receiver::ServerConfig config;
  std::vector<std::string> tokens;
  sync::InventoryClientOptions sync_client;
  try {
    if (options.sync_every_s > 0) sync_client = inventory_client_options(options.inventory);
    check_read_db(options);
    if (options.dev) secure_state_dir(options.state_dir);
    configure_tls(options, config);
    configure_secrets(options, config);
    parse_listen(options.listen, config);
    tokens = read_api_tokens(options);
  } catch (const InventoryOptionsError& e) {
    fmt::print(stderr, "error: --sync-every: {}\n", e.what());
    return kExitUsage;
  } catch (const UsageError& e) {
    fmt::print(stderr, "error: {}\n", e.what());
    return kExitUsage;
  }
  config.max_body_bytes = options.max_body;
  config.threads = options.threads;
  config.idle_timeout_ms = std::chrono::seconds{options.idle_timeout_s};
  config.request_timeout_ms = std::chrono::seconds{options.request_timeout_s};
  config.max_connections = options.max_connections;
  config.max_connections_per_peer = options.max_connections_per_peer;

  // Bound before the database is opened: a port already taken must not leave a new or
  // migrated database behind.
  receiver::Server server{config};
  receiver::Metrics metrics;
  metrics.set_build_info(build_info());
  // Opened next: the writer creates and upgrades the file that everything below reads.
  DeliveryWriter writer{options.db_path,
                        {.durability_full = options.durability == "full",
                         .max_batch = options.max_batch,
                         .busy_timeout_ms = options.busy_timeout_ms}};
  // Reads run on the network threads, so more connections than threads would sit idle; the cap
  // keeps N receivers × (1 writer + readers) inside PostgreSQL's max_connections (100 by default).
  const auto readers = std::min<std::size_t>(static_cast<std::size_t>(options.threads), kMaxReaderConnections);
  ReadModels reads{options.db_path, readers};
  // The read API may answer from a replica. The seat API keeps reading the primary: a client
  // reads back the seat event it has just posted and must find it.
  std::optional<ReadModels> replica_reads;
  if (!options.read_db.empty()) {
    replica_reads.emplace(options.read_db, readers);
    // Webhooks do not wait for the replica: until it can be read, /v1 answers 503.
    if (const auto why = replica_reads->unavailable_reason()) {
      spdlog::warn("read API: {} cannot be read yet ({}); GET /v1/… answers 503 until it can",
                   printable_db_name(options.read_db), *why);
    } else {
      spdlog::info("read API answers from {}", printable_db_name(options.read_db));
    }
  }
  receiver::SeatApiConfig seat_api_config;
  try {
    seat_api_config = configure_seat_api(options, reads);
  } catch (const UsageError& e) {
    fmt::print(stderr, "error: {}\n", e.what());
    return kExitUsage;
  }
  receiver::ApiRoutes api{replica_reads ? *replica_reads : reads, tokens};
  if (tokens.empty()) spdlog::info("read API off: pass --read-token-file FILE to serve GET /v1/…");
  receiver::SeatApiRoutes seat_api{seat_api_config, writer, reads, metrics};
  auto sync_schedule = start_sync(options, std::move(sync_client), writer, metrics);
  server.run({.writer = writer, .metrics = metrics, .api = &api, .seat_api = &seat_api},
             [&](const std::string& base_url) { print_welcome(options, seat_api_config, !tokens.empty(), base_url); });
  if (sync_schedule) sync_schedule->stop();  // before the writer: its last repairs are committed
  writer.stop();
  spdlog::info("stopped; every acknowledged delivery is committed to {}", printable_db_name(options.db_path));
  return kExitOk;
}

}  // namespace

void add_serve_command(CLI::App& app, Runner& run) {
  auto options = std::make_shared<ServeOptions>();
  auto* command = app.add_subcommand(
      "serve", "Run the HTTPS webhook receiver (POST /webhooks/inventory, GET /healthz, GET /metrics)");
  add_db_option(*command, options->db_path);
  command
      ->add_option("--read-db", options->read_db,
                   "postgresql://… URL of a hot-standby replica of --db that the read API (GET /v1/…) answers from")
      ->envname("SEATMIRROR_READ_DB");
  command->add_option("--listen", options->listen, "HOST:PORT to listen on")
      ->envname("SEATMIRROR_LISTEN")
      ->capture_default_str();
  command->add_option("--tls-cert", options->tls_cert, "PEM certificate chain")->envname("SEATMIRROR_TLS_CERT");
  command->add_option("--tls-key", options->tls_key, "PEM private key")->envname("SEATMIRROR_TLS_KEY");
  command
      ->add_flag("--dev", options->dev,
                 "make a self-signed certificate and a webhook secret in --state-dir if none is given")
      ->envname("SEATMIRROR_DEV");
  command->add_option("--state-dir", options->state_dir, "where --dev keeps its certificate and secret")
      ->envname("SEATMIRROR_STATE_DIR")
      ->capture_default_str();
  command->add_flag("--plain-http", options->plain_http, "serve without TLS (behind a TLS-terminating proxy only)")
      ->envname("SEATMIRROR_PLAIN_HTTP");
  command
      ->add_option("--secret", options->secret,
                   "webhook secret (prefer --secret-file or SEATMIRROR_SECRET: "
                   "arguments are visible in ps)")
      ->envname("SEATMIRROR_SECRET");
  command->add_option("--secret-file", options->secret_files, "file with one webhook secret per line (repeatable)")
      ->envname("SEATMIRROR_SECRET_FILE");
  command->add_flag("--no-verify", options->no_verify, "accept unsigned webhooks (local experiments only)")
      ->envname("SEATMIRROR_NO_VERIFY");
  command->add_option("--tolerance", options->tolerance_s, "seconds a signature timestamp may be from now")
      ->envname("SEATMIRROR_TOLERANCE")
      ->check(CLI::Range(1, 86400))
      ->capture_default_str();
  command
      ->add_option("--resend-window", options->resend_window_s,
                   "how old a correctly signed delivery may be and still be accepted (a resend from the back "
                   "office), e.g. 7d, 48h, 3600; 0 turns it off")
      ->envname("SEATMIRROR_RESEND_WINDOW")
      ->transform(seconds_with_unit())
      ->check(CLI::Range(std::int64_t{0}, std::int64_t{366} * 86400))
      ->default_str("7d");
  command->add_option("--max-body", options->max_body, "largest accepted body, bytes")
      ->envname("SEATMIRROR_MAX_BODY")
      ->check(CLI::Range(std::size_t{1}, std::size_t{64} << 20))
      ->capture_default_str();
  command->add_option("--durability", options->durability, "full: fsync every commit (power-loss safe); normal: faster")
      ->envname("SEATMIRROR_DURABILITY")
      ->check(CLI::IsMember({"full", "normal"}))
      ->capture_default_str();
  command->add_option("--threads", options->threads, "network threads")
      ->envname("SEATMIRROR_THREADS")
      ->check(CLI::Range(1, 256))
      ->capture_default_str();
  command->add_option("--idle-timeout", options->idle_timeout_s, "seconds an idle keep-alive connection stays open")
      ->envname("SEATMIRROR_IDLE_TIMEOUT")
      ->check(CLI::Range(1, 3600))
      ->capture_default_str();
  command
      ->add_option("--request-timeout", options->request_timeout_s,
                   "seconds for a TLS handshake, or for a started request to arrive whole")
      ->envname("SEATMIRROR_REQUEST_TIMEOUT")
      ->check(CLI::Range(1, 3600))
      ->capture_default_str();
  command
      ->add_option("--max-connections", options->max_connections, "open connections beyond which new ones are refused")
      ->envname("SEATMIRROR_MAX_CONNECTIONS")
      ->check(CLI::Range(std::size_t{1}, std::size_t{1'000'000}))
      ->capture_default_str();
  command
      ->add_option("--max-connections-per-peer", options->max_connections_per_peer,
                   "open connections from one client address beyond which its new ones are refused; 0: no such "
                   "cap (behind a proxy every connection comes from the proxy)")
      ->envname("SEATMIRROR_MAX_CONNECTIONS_PER_PEER")
      ->check(CLI::Range(std::size_t{0}, std::size_t{1'000'000}))
      ->capture_default_str();
  command->add_option("--max-batch", options->max_batch, "deliveries per group commit at most")
      ->envname("SEATMIRROR_MAX_BATCH")
      ->check(CLI::Range(std::size_t{1}, std::size_t{100'000}))
      ->capture_default_str();
  command
      ->add_option("--busy-timeout", options->busy_timeout_ms,
                   "milliseconds a write waits for another process's lock before answering 503")
      ->envname("SEATMIRROR_BUSY_TIMEOUT")
      ->check(CLI::Range(0, 600'000))
      ->capture_default_str();
  command->add_option("--read-token", options->read_tokens, "bearer token for GET /v1/… (prefer --read-token-file)")
      ->envname("SEATMIRROR_READ_TOKEN");
  command->add_option("--read-token-file", options->read_token_files, "file with one read token per line")
      ->envname("SEATMIRROR_READ_TOKEN_FILE");
  command
      ->add_option("--seat-api-credentials-file", options->seat_api_credential_files,
                   "file with one key:secret per line: HTTP Basic credentials for /api/seat-events")
      ->envname("SEATMIRROR_SEAT_API_CREDENTIALS_FILE");
  command
      ->add_option("--admin-token-file", options->admin_token_files,
                   "file with one bearer token per line for PATCH /org/{orgId}/entitlement/{id}/seat")
      ->envname("SEATMIRROR_ADMIN_TOKEN_FILE");
  command
      ->add_option(
          "--sequence-account-id", options->sequence_account_id,
          "UUID named as sequenceAccountId in seat event answers (default: one generated and kept in the database)")
      ->envname("SEATMIRROR_SEQUENCE_ACCOUNT_ID");
  command
      ->add_option("--sync-every", options->sync_every_s,
                   "compare the copy with the Inventory API and repair it this often (e.g. 15m, 1h; like `sync`, "
                   "on a thread of its own, one receiver per store at a time); needs --inventory-url and "
                   "--api-key-file; off by default")
      ->envname("SEATMIRROR_SYNC_EVERY")
      ->transform(seconds_with_unit())
      ->check(CLI::Range(std::int64_t{1}, std::int64_t{366} * 86400));
  command
      ->add_flag("--sync-delete-missing", options->sync_delete_missing,
                 "with --sync-every: tombstone seat classes and seatmaps the API no longer lists (after a complete "
                 "scan only)")
      ->envname("SEATMIRROR_SYNC_DELETE_MISSING");
  add_inventory_api_options(*command, options->inventory, false);
  command->callback([&run, options] { run = [options] { return run_serve(*options); }; });
}

}  // namespace seatmirror::cli

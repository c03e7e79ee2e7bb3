// `rejected retry`: the dead letters judged again by today's rules, e.g. after an upgrade that
// accepts a field Betterez added. Those that pass take the normal path (ledger, dedupe,
// ordering, read models; or the seat event rules) with their original arrival time; those
// that still fail stay, with today's reason. One transaction: all of it happens or none.
#include "app/commands.hpp"

#include "projection/projection_engine.hpp"
#include "storage/postgres_database.hpp"
#include "storage/store.hpp"

#include <fmt/format.h>

#include <algorithm>
#include <map>
#include <set>

namespace seatmirror::cli {
namespace {

struct RetryOptions {
  std::string db_path = "seatmirror.db";
  std::vector<std::int64_t> seqs;
  bool all = false;
  std::string reason;
};

int run_retry(const RetryOptions& options) {
  const int selections = (options.seqs.empty() ? 0 : 1) + (options.all ? 1 : 0) + (options.reason.empty() ? 0 : 1);
  if (selections != 1) {
    fmt::print(stderr, "error: say which rejected deliveries to retry: SEQ..., --all or --reason R (one of them)\n");
    return kExitUsage;
  }
  if (!require_database(options.db_path)) return kExitUsage;
  auto db = open_store(options.db_path, with_reprojection());
  auto& connection = *db;
  sql::WriteTransaction transaction{connection};
  auto stored = EventLedger{connection}.stored_rejections();
  const std::set<std::int64_t> wanted(options.seqs.begin(), options.seqs.end());
  for (const auto seq : wanted) {
    if (std::none_of(stored.begin(), stored.end(), [&](const auto& r) { return r.seq == seq; })) {
      fmt::print(stderr, "error: no rejected delivery with seq {} in {}\n", seq, printable_db_name(options.db_path));
      return kExitUsage;
    }
  }
  std::erase_if(stored, [&](const StoredRejection& r) {
    return (!wanted.empty() && !wanted.contains(r.seq)) || (!options.reason.empty() && r.reason != options.reason);
  });
  ProjectionEngine engine{connection};
  std::map<std::string, int> outcomes;
  int still_rejected = 0;
  for (const auto& rejected : stored) {
    const auto result = engine.retry(rejected);
    if (result.still_rejected) {
      ++still_rejected;
      fmt::print("{}\t{}\tstill rejected\t{}\t{}\n", rejected.seq, to_string(rejected.source),
                 to_string(result.still_rejected->reason), result.still_rejected->message);
    } else {
      ++outcomes[result.outcome];
      fmt::print("{}\t{}\t{}\t{}\n", rejected.seq, to_string(rejected.source), result.outcome, result.id);
    }
  }
  transaction.commit();
  std::string accepted;
  for (const auto& [outcome, n] : outcomes)
    accepted += fmt::format("{}{} {}", accepted.empty() ? "" : ", ", n, outcome);
  fmt::print("retried {}: {} accepted{}, {} still rejected\n", stored.size(), stored.size() - still_rejected,
             accepted.empty() ? "" : " (" + accepted + ")", still_rejected);
  return still_rejected > 0 ? kExitRejected : kExitOk;
}

}  // namespace

void add_rejected_retry_command(CLI::App& app, Runner& run) {
  auto* rejected = app.get_subcommand("rejected");
  auto options = std::make_shared<RetryOptions>();
  auto* retry =
      rejected->add_subcommand("retry",
                               "Judge stored rejected deliveries again by today's rules: apply those "
                               "that pass (keeping their arrival time), keep the others with their new reason");
  add_db_option(*retry, options->db_path);
  retry->add_option("seq", options->seqs, "the seq of each rejected delivery to retry (see `seatmirror rejected`)");
  retry->add_flag("--all", options->all, "every rejected delivery");
  retry->add_option("--reason", options->reason, "those rejected for this reason, e.g. invalid_data");
  retry->callback([&run, options] { run = [options] { return run_retry(*options); }; });
}

}  // namespace seatmirror::cli

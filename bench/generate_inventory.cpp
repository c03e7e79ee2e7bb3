// Writes an inventory for the sync benchmark (bench/sync.sh), twice over: as the Inventory
// API's list answers, which nginx serves to `seatmirror sync`, and as the webhooks that would
// have created the same records, which `seatmirror replay` applies for the baseline.
//
//   seatmirror_generate_inventory FEES CLASSES SEATMAPS DIR
//     DIR/api/seat-fees-false.json   {"seatFees": [every fee], "count": FEES}
//     DIR/api/seat-fees-true.json    {"seatFees": [], "count": 0}
//     DIR/api/seat-classes.json      {"seatClasses": [every class]}
//     DIR/api/seatmaps-N.json        {"seatmaps": [20 of them], "count": SEATMAPS, "next": …}
//     DIR/webhooks.ndjson            one *.created delivery per record
#include "bench/generated_records.hpp"

#include <fmt/format.h>
#include <fmt/os.h>

#include <filesystem>
#include <string>

namespace {

using namespace seatmirror::bench;

constexpr std::uint64_t kSeatmapsPerPage = 20;  // the API's page size
constexpr std::int64_t kBase = 1'700'000'000;

std::string event_id(std::uint64_t serial) { return fmt::format("00000000-0000-4000-8000-{:012x}", serial); }

void webhook(fmt::ostream& out, std::uint64_t serial, const char* event, std::int64_t created,
             const std::string& data) {
  out.print(R"({{"attemptId":"a","created":{},"data":{},"event":"{}","id":"{}","livemode":true}})"
            "\n",
            created, data, event, event_id(serial));
}

}  // namespace

int main(int argc, char** argv) {
  if (argc != 5) {
    std::fputs("usage: seatmirror_generate_inventory FEES CLASSES SEATMAPS DIR\n", stderr);
    return 2;
  }
  const std::uint64_t fees = std::stoull(argv[1]), classes = std::stoull(argv[2]), seatmaps = std::stoull(argv[3]);
  const std::filesystem::path dir{argv[4]};
  std::filesystem::create_directories(dir / "api");
  auto webhooks = fmt::output_file((dir / "webhooks.ndjson").string());
  std::uint64_t serial = 0;
  const auto updated = [](std::uint64_t n) { return kBase + static_cast<std::int64_t>(n); };
  const auto millis = [](std::uint64_t n) { return static_cast<int>(n % 1000); };

  // One unpaged list: every record of a family, each also written as its webhook.
  const auto write_list = [&](const char* file, const char* member, std::uint64_t count, const char* event,
                              std::string (*record_of)(std::uint64_t, std::int64_t, int)) {
    auto list = fmt::output_file((dir / "api" / file).string());
    list.print(R"({{"{}":[)", member);
    for (std::uint64_t n = 0; n < count; ++n) {
      const auto record = record_of(n, updated(n), millis(n));
      list.print("{}{}", n ? "," : "", record);
      webhook(webhooks, ++serial, event, updated(n), record);
    }
    list.print(R"(],"count":{}}})", count);
  };
  write_list("seat-fees-false.json", "seatFees", fees, "seatfees.created", seat_fee_record);
  fmt::output_file((dir / "api" / "seat-fees-true.json").string()).print(R"({{"seatFees":[],"count":0}})");
  write_list("seat-classes.json", "seatClasses", classes, "seatclass.created", seat_class_record);

  const auto pages = (seatmaps + kSeatmapsPerPage - 1) / kSeatmapsPerPage;
  for (std::uint64_t page = 1; page <= pages; ++page) {
    auto list = fmt::output_file((dir / "api" / fmt::format("seatmaps-{}.json", page)).string());
    list.print(R"({{"seatmaps":[)");
    for (auto n = (page - 1) * kSeatmapsPerPage; n < std::min(seatmaps, page * kSeatmapsPerPage); ++n) {
      const auto record = seatmap_record(n, n % 2 ? 14 : 15, updated(n), millis(n));
      list.print("{}{}", n % kSeatmapsPerPage ? "," : "", record);
      webhook(webhooks, ++serial, "seatmap.created", updated(n), record);
    }
    const auto next = page < pages ? fmt::format(R"("/seatmaps?page={}")", page + 1) : std::string{"null"};
    list.print(R"(],"count":{},"next":{}}})", seatmaps, next);
  }
  return 0;
}

// Writes N mixed inventory webhook bodies as NDJSON to stdout, for the replay/rebuild benchmark:
// seat fees, seat classes and seatmaps with 2 sections; about 10% of lines are exact
// duplicates of an earlier delivery and about 10% are delivered late (out of order).
//
//   seatmirror_generate_events COUNT [SEED] > events.ndjson
#include "bench/generated_records.hpp"

#include <fmt/format.h>

#include <cstdio>
#include <ctime>
#include <deque>
#include <random>
#include <string>

namespace {

using namespace seatmirror::bench;

std::string uuid(std::mt19937_64& random) {
  const auto a = random(), b = random();
  return fmt::format("{:08x}-{:04x}-4{:03x}-a{:03x}-{:012x}", a >> 32, (a >> 16) & 0xffff, a & 0xfff, b >> 52,
                     b & 0xffffffffffffULL);
}

std::string envelope(std::mt19937_64& random, std::string_view event, std::int64_t created, const std::string& data) {
  return fmt::format(R"({{"attemptId":"{}","created":{},"data":{},"event":"{}","id":"{}","livemode":true}})",
                     uuid(random), created, data, event, uuid(random));
}

std::string seat_fee(std::mt19937_64& random, std::uint64_t n, std::int64_t created, int millis) {
  return envelope(random, n % 3 ? "seatfees.updated" : "seatfees.created", created,
                  seat_fee_record(n, created, millis));
}

std::string seat_class(std::mt19937_64& random, std::uint64_t n, std::int64_t created, int millis) {
  if (n % 10 == 0) {
    return envelope(random, "seatclass.deleted", created, fmt::format(R"({{"seatClassId":"{}"}})", object_id('b', n)));
  }
  return envelope(random, "seatclass.updated", created, seat_class_record(n, created, millis));
}

std::string seatmap(std::mt19937_64& random, std::uint64_t n, std::int64_t created, int millis) {
  if (n % 10 == 0) {
    return envelope(random, "seatmap.deleted", created, fmt::format(R"({{"id":"{}"}})", object_id('c', n)));
  }
  // About half of the updates change the layout (a row more or less upstairs), the others
  // only the seatmap's own fields, so both ways a seatmap write can go are measured.
  return envelope(random, "seatmap.updated", created, seatmap_record(n, created % 2 == 0 ? 15 : 14, created, millis));
}

}  // namespace

int main(int argc, char** argv) {
  if (argc < 2) {
    std::fputs("usage: seatmirror_generate_events COUNT [SEED] > events.ndjson\n", stderr);
    return 2;
  }
  const std::uint64_t count = std::stoull(argv[1]);
  std::mt19937_64 random{argc > 2 ? std::stoull(argv[2]) : 42};
  std::uniform_int_distribution<int> percent{0, 99};
  constexpr std::uint64_t kEntities = 50'000;  // per family: most events update existing rows
  std::deque<std::string> recent;              // for duplicates
  std::deque<std::string> late;                // held back, delivered after newer events
  std::uint64_t written = 0;
  auto emit = [&](const std::string& line) {
    std::fwrite(line.data(), 1, line.size(), stdout);
    std::fputc('\n', stdout);
    ++written;
    recent.push_back(line);
    if (recent.size() > 1000) recent.pop_front();
  };
  std::int64_t created = 1'700'000'000;
  while (written < count) {  // emit() counts what it writes
    const int roll = percent(random);
    if (roll < 10 && !recent.empty()) {  // a retried delivery, byte for byte
      const auto copy = recent[random() % recent.size()];
      emit(copy);
      continue;
    }
    ++created;
    const auto entity = random() % kEntities;
    const int millis = static_cast<int>(random() % 1000);
    const int family = percent(random);
    auto line = family < 40   ? seat_fee(random, entity, created, millis)
                : family < 70 ? seat_class(random, entity, created, millis)
                              : seatmap(random, entity, created, millis);
    if (roll < 20) {
      late.push_back(std::move(line));  // held back: arrives after up to 100 newer events
    } else {
      emit(line);
    }
    if (late.size() > 100 || (!late.empty() && percent(random) < 10)) {
      emit(late.front());
      late.pop_front();
    }
  }
  return 0;
}

// Writes N mixed inventory webhook bodies as NDJSON to stdout, for the replay/rebuild benchmark:
// seat fees, seat classes and seatmaps with 2 sections; about 10% of lines are exact
// duplicates of an earlier delivery and about 10% are delivered late (out of order).
//
//   seatmirror_generate_events COUNT [SEED] > events.ndjson
#include <fmt/format.h>

#include <cstdio>
#include <ctime>
#include <deque>
#include <random>
#include <string>

namespace {

constexpr const char* kUser = "660eff3b8971e405c374e802";

std::string object_id(char family, std::uint64_t n) { return fmt::format("6744{}{:019x}", family, n); }

std::string uuid(std::mt19937_64& random) {
  const auto a = random(), b = random();
  return fmt::format("{:08x}-{:04x}-4{:03x}-a{:03x}-{:012x}", a >> 32, (a >> 16) & 0xffff, a & 0xfff, b >> 52,
                     b & 0xffffffffffffULL);
}

std::string iso(std::int64_t unix_seconds, int millis) {
  const std::time_t t = unix_seconds;
  std::tm utc{};
  gmtime_r(&t, &utc);
  return fmt::format("{:04}-{:02}-{:02}T{:02}:{:02}:{:02}.{:03}Z", utc.tm_year + 1900, utc.tm_mon + 1, utc.tm_mday,
                     utc.tm_hour, utc.tm_min, utc.tm_sec, millis);
}

std::string envelope(std::mt19937_64& random, std::string_view event, std::int64_t created, const std::string& data) {
  return fmt::format(R"({{"attemptId":"{}","created":{},"data":{},"event":"{}","id":"{}","livemode":true}})",
                     uuid(random), created, data, event, uuid(random));
}

std::string audit(std::int64_t created, int millis) {
  const auto date = iso(created, millis);
  return fmt::format(
      R"("createdBy":"{}","updatedBy":"{}","createdAt":{{"offset":0,"value":"{}"}},"updatedAt":{{"offset":0,"value":"{}"}})",
      kUser, kUser, date, date);
}

std::string seat_fee(std::mt19937_64& random, std::uint64_t n, std::int64_t created, int millis) {
  const auto data = fmt::format(
      R"({{"_id":"{}","shortName":"F{}","type":"{}","value":{}.5,"disabled":false,"bgcolor":"#d4eaf0","name":"Fee {}","lexiconKeys":{{"name":{{"key":"fee-{}","values":{{"en-us":"Fee {}","fr-fr":"Frais {}"}}}}}},{}}})",
      object_id('a', n), n % 100, n % 2 ? "$" : "%", 1 + n % 50, n, n, n, n, audit(created, millis));
  return envelope(random, n % 3 ? "seatfees.updated" : "seatfees.created", created, data);
}

std::string seat_class(std::mt19937_64& random, std::uint64_t n, std::int64_t created, int millis) {
  if (n % 10 == 0) {
    return envelope(random, "seatclass.deleted", created, fmt::format(R"({{"seatClassId":"{}"}})", object_id('b', n)));
  }
  const auto data = fmt::format(
      R"({{"_id":"{}","name":"Class {}","description":"Seats of class {}, generated for the benchmark","deleted":false,"bgcolor":"#f0d4d4","lexiconKeys":{{"name":{{"key":"class-{}","values":{{}}}},"description":{{"key":"class-{}-desc","values":{{}}}}}},{}}})",
      object_id('b', n), n, n, n, n, audit(created, millis));
  return envelope(random, "seatclass.updated", created, data);
}

// Seats of a generated deck of `rows` rows: 2 + 2 per row, a driver's row, a 5-seat back row.
int deck_capacity(int rows) { return rows * 4 - 3; }

std::string section(std::uint64_t id, const char* name, int rows) {
  return fmt::format(
      R"({{"_id":"{}","availableCols":5,"availableRows":{},"capacity":{},"customSeats":[],"enumDir":2,"enumType":2,"facilities":[{{"alignment":{{"key":2,"value":"Right"}},"col":5,"height":1,"row":1,"type":"door","width":1}},{{"alignment":{{"key":1,"value":"Left"}},"col":1,"height":1,"label":"","row":1,"type":"driver","width":5}}],"lastRowNoGap":true,"name":"{}","rowLabelRange":"","rowLabelType":1,"rowsEnumNoGaps":false,"seatLabelType":1,"seatsPerRowLeft":2,"seatsPerRowRight":2,"seatsWithStatus":[],"showRowLabels":true,"startingRowLabel":"1","startingSeatLabel":1}})",
      object_id('d', id), rows, deck_capacity(rows), name);
}

std::string seatmap(std::mt19937_64& random, std::uint64_t n, std::int64_t created, int millis) {
  if (n % 10 == 0) {
    return envelope(random, "seatmap.deleted", created, fmt::format(R"({{"id":"{}"}})", object_id('c', n)));
  }
  // About half of the updates change the layout (a row more or less upstairs), the others
  // only the seatmap's own fields, so both ways a seatmap write can go are measured.
  const int upper_rows = created % 2 == 0 ? 15 : 14;
  const int capacity = deck_capacity(7) + deck_capacity(upper_rows);
  const auto data = fmt::format(
      R"({{"_id":"{}","accountId":"6526d94dbb4c1206536da021","capacity":{},"name":"Seatmap {}","standard":false,"sections":[{},{}],{}}})",
      object_id('c', n), capacity, n, section(n * 2, "Lower", 7), section(n * 2 + 1, "Upper", upper_rows),
      audit(created, millis));
  return envelope(random, "seatmap.updated", created, data);
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

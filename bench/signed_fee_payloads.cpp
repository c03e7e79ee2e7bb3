// Writes COUNT distinct seat-fee deliveries of about 1 KiB, each on one line as
// "<x-btrz-signature value><TAB><body>", signed now with SECRET: wrk's input for bench/ingest.
//
//   seatmirror_signed_fee_payloads COUNT SECRET > payloads.tsv
#include "receiver/signature.hpp"

#include <fmt/format.h>

#include <chrono>
#include <cstdio>
#include <string>

int main(int argc, char** argv) {
  if (argc != 3) {
    std::fputs("usage: seatmirror_signed_fee_payloads COUNT SECRET > payloads.tsv\n", stderr);
    return 2;
  }
  const auto count = std::stoul(argv[1]);
  const std::string secret = argv[2];
  const auto now = std::chrono::system_clock::now();
  const std::string padding(560, 'x');  // brings the body to about 1 KiB, like a real fee
  for (unsigned long n = 0; n < count; ++n) {
    const auto body = fmt::format(
        R"({{"attemptId":"a0000000-0000-4000-8000-{0:012x}","created":1764000000,"data":{{"_id":"{0:024x}","shortName":"B{1}","type":"$","value":{2}.25,"disabled":false,"bgcolor":"#d4eaf0","name":"Bench fee {0}","lexiconKeys":{{"name":{{"key":"fee-{0}","values":{{"en-us":"Bench fee {0}","notes":"{3}"}}}}}},"createdBy":"660eff3b8971e405c374e802","updatedBy":"660eff3b8971e405c374e802","createdAt":{{"offset":0,"value":"2025-11-24T16:00:00.000Z"}},"updatedAt":{{"offset":0,"value":"2025-11-24T16:00:00.000Z"}}}},"event":"seatfees.created","id":"b0000000-0000-4000-8000-{0:012x}","livemode":true}})",
        n, n % 100, 1 + n % 40, padding);
    fmt::print("{}\t{}\n", seatmirror::receiver::sign_betterez(secret, body, now), body);
  }
  return 0;
}

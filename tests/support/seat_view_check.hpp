// The seatmap_seats view against the stored seat arrays it reads: the positions of a seat's
// fields are named once (layout/seat_layout_json.hpp: SeatField), and each store's view must
// read them where the encoder writes them. Used on both stores.
#pragma once

#include "storage/sql_connection.hpp"

#include <string>
#include <vector>

namespace seatmirror::test {

// A seatmap event (the seed, changed) whose seats between them set every seat field to a
// value that is not its default: a row label, a status, a class, a fee, an overlapping
// facility and custom JSON.
std::string seatmap_with_every_seat_field();

struct SeatViewCheck {
  std::vector<std::string> differences;  // "seatmap section row,col field: view …, layout …"
  std::vector<int> non_default_seen;     // per SeatField: seats whose value is not the default
};

// Every seat of every stored layout, decoded with decode_layouts, against its view row.
SeatViewCheck check_seat_view(sql::Connection& db);

}  // namespace seatmirror::test

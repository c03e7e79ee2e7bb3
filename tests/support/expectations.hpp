// Checks a database against a scenario's expected.json: every read-model table row for row
// (in the columns the expectation names), the ledger's outcomes in arrival order, and the
// reasons of rejected deliveries in order. Uses Catch2 assertions.
#pragma once

#include "tests/support/scenario.hpp"

#include "storage/sql_connection.hpp"

namespace seatmirror::test {

// `db`: either store.
void check_end_state(sql::Connection& db, const Scenario& scenario);

}  // namespace seatmirror::test

// The three inventory families a seatmirror copy holds, named once for every layer that tells
// them apart: decoding sync records, the read side's queries, the sync scan and the CLI.
#pragma once

namespace seatmirror {

enum class InventoryKind { seat_fees, seat_classes, seatmaps };

}  // namespace seatmirror

// Calendar arithmetic for the real-time clock: seconds since 1970-01-01 00:00:00 UTC to and from
// date and time fields (proleptic Gregorian calendar), and the day of the week.
#pragma once

#include "base/types.h"

namespace tern {

struct CivilTime {
  int year = 1970;
  int month = 1;   // 1..12
  int day = 1;     // 1..31
  int hour = 0;
  int minute = 0;
  int second = 0;
  int weekday = 5;  // 1 = Sunday .. 7 = Saturday (MC146818 day-of-week register)
};

// Fields of a moment; `epoch_seconds` may be negative (before 1970).
CivilTime civil_from_epoch(i64 epoch_seconds);
// The moment named by the fields; out-of-range fields carry over (day 32 of January is
// February 1), as they do when a guest writes a date field by field. `weekday` is ignored.
i64 epoch_from_civil(const CivilTime& t);

}  // namespace tern

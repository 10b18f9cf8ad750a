#include "devices/rtc_calendar.h"

namespace tern {

namespace {

constexpr i64 kSecondsPerDay = 86400;
// The Gregorian calendar repeats every 400 years, which hold 146097 days.
constexpr i64 kDaysPer400Years = 146097;
// Days from 0000-03-01 (a year counted from March, so that the leap day is the year's last
// day) to 1970-01-01.
constexpr i64 kEpochFromMarchZero = 719468;

i64 floor_div(i64 a, i64 b) { return a / b - ((a % b != 0) && ((a < 0) != (b < 0))); }

// Days since 1970-01-01 of a date, in a calendar whose years begin on March 1.
i64 days_from_date(i64 y, i64 m, i64 d) {
  y -= m <= 2;
  const i64 era = floor_div(y, 400);
  const i64 year_of_era = y - era * 400;
  const i64 march_month = (m + 9) % 12;  // March = 0 .. February = 11
  const i64 day_of_year = (153 * march_month + 2) / 5 + d - 1;
  const i64 day_of_era = year_of_era * 365 + year_of_era / 4 - year_of_era / 100 + day_of_year;
  return era * kDaysPer400Years + day_of_era - kEpochFromMarchZero;
}

}  // namespace

CivilTime civil_from_epoch(i64 epoch_seconds) {
  const i64 days = floor_div(epoch_seconds, kSecondsPerDay);
  const i64 secs = epoch_seconds - days * kSecondsPerDay;
  const i64 z = days + kEpochFromMarchZero;
  const i64 era = floor_div(z, kDaysPer400Years);
  const i64 day_of_era = z - era * kDaysPer400Years;
  const i64 year_of_era = (day_of_era - day_of_era / 1460 + day_of_era / 36524 - day_of_era / 146096) / 365;
  const i64 day_of_year = day_of_era - (365 * year_of_era + year_of_era / 4 - year_of_era / 100);
  const i64 march_month = (5 * day_of_year + 2) / 153;
  CivilTime t;
  t.day = static_cast<int>(day_of_year - (153 * march_month + 2) / 5 + 1);
  t.month = static_cast<int>(march_month < 10 ? march_month + 3 : march_month - 9);
  t.year = static_cast<int>(year_of_era + era * 400 + (t.month <= 2));
  t.hour = static_cast<int>(secs / 3600);
  t.minute = static_cast<int>(secs / 60 % 60);
  t.second = static_cast<int>(secs % 60);
  // 1970-01-01 was a Thursday (weekday 5 with Sunday = 1).
  t.weekday = static_cast<int>((days % 7 + 7 + 4) % 7) + 1;
  return t;
}

i64 epoch_from_civil(const CivilTime& t) {
  // Months beyond 12 carry into years first; days, hours, minutes and seconds carry through
  // plain addition.
  const i64 month0 = t.month - 1;
  const i64 year = t.year + floor_div(month0, 12);
  const i64 month = month0 - floor_div(month0, 12) * 12 + 1;
  const i64 days = days_from_date(year, month, 1) + t.day - 1;
  return days * kSecondsPerDay + i64{t.hour} * 3600 + i64{t.minute} * 60 + t.second;
}

}  // namespace tern

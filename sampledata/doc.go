// Package sampledata writes a realistic synthetic inbox — the survey, roster, activity, counsellor and visit
// files 宝龙街道's offices really send, defects included — with the ground truth kept beside it, byte for byte
// the same for the same Options.
//
// The truth (Truth, and truth/*.csv: UTF-8, header first) is:
//   - persons.csv: one row per member, with the counsellor paired with them, the date of their last contact
//     (activity or visit) and whether the generator made them lose contact (失联: nothing for six months).
//   - records.csv: one row per data row of any file, with its person and the defects it got.
//   - files.csv: one row per file, with the quarantine code it should get.
//   - activities.csv, pairings.csv, visits.csv: one row per row of an activity file (联系卡活动记录 and the
//     爱心存折 workbook), a 辅导员结对表 and a 走访记录: the event as the generator meant it (true date,
//     canonical type, hours, counsellor), whatever the cells show, and whether the row repeats an earlier
//     one, names an unknown person, is rejected, or shows its date without the day.
//
// Activities span the twelve months before Options.Today; pairings and visits the calendar year of Today.
// Truth.ActivitiesOf and Truth.VisitsOf give what the pipeline should count for a member in a year.
package sampledata

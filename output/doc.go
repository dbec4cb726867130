// Package output writes what people receive after a run, each run into its
// own dated folder that is complete or absent.
//
// The workbooks it builds (RegistryWorkbook, DiscrepancyWorkbook, …) write
// their tables' data rows as they are saved (rows.go): read one back from the
// bytes it writes, not from the *excelize.File in memory.
package output

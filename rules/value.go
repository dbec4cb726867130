package rules

import "time"

// Severity says how much a finding matters.
type Severity string

// Severities.
const (
	SeverityError   Severity = "error"   // the value is unusable as given
	SeverityWarning Severity = "warning" // usable, but a person should look
	SeverityInfo    Severity = "info"    // a change made while cleaning, recorded
)

// Finding is one thing a rule noticed about a value or a record. Messages are
// Chinese, for the person who fixes the cell, and never contain a full ID
// number or phone number.
type Finding struct {
	Code     string // stable, snake_case, e.g. "id_check_digit"
	Severity Severity
	Field    Field
	Message  string
}

// Precision says how much of a date was given.
type Precision string

// Date precisions.
const (
	PrecisionDay   Precision = "day"
	PrecisionMonth Precision = "month"
	PrecisionYear  Precision = "year"
)

// Value is one cleaned cell.
type Value struct {
	Raw       string    // the cell text exactly as read
	Clean     string    // canonical text; "" when missing or unusable
	Key       string    // comparison key: branch key for TypeBranch, "" otherwise
	Date      time.Time // TypeDate: the date (first day of month/year for coarser precision)
	Precision Precision // TypeDate: how much was given
	Number    float64   // TypeNumber
	ID        *IDNumber // TypeIDNumber only
	Others    []string  // TypePhone: further numbers found in the same cell, cleaned like Clean
	Findings  []Finding
}

// IDStatus classifies a resident ID number.
type IDStatus string

// ID number statuses.
const (
	IDValid         IDStatus = "valid"           // 18 characters, valid check digit, date and region
	IDConverted15   IDStatus = "converted_15"    // legacy 15 digits, converted to a valid 18
	IDBadCheckDigit IDStatus = "bad_check_digit" // 18 characters, check digit wrong
	IDBadDate       IDStatus = "bad_birth_date"  // birth date part impossible
	IDBadRegion     IDStatus = "bad_region"      // region code impossible
	IDBadFormat     IDStatus = "bad_format"      // wrong length or characters
	IDExcelDamaged  IDStatus = "excel_damaged"   // lost digits in a number cell (E+17, trailing 000)
	IDMissing       IDStatus = "missing"         // empty
)

// IDNumber is a parsed 公民身份证号 (GB 11643-1999).
type IDNumber struct {
	Value  string    // 18 characters, upper-case X; "" when missing, bad format or damaged
	Status IDStatus  //
	Prefix string    // leading digits that are trustworthy (all 17/18 when valid; the kept significant digits when damaged)
	Birth  time.Time // from the number, zero when unknown
	Gender string    // 男 / 女 from the sequence digit, "" when unknown
}

// Valid reports whether the number can identify a person.
func (id IDNumber) Valid() bool { return id.Status == IDValid || id.Status == IDConverted15 }

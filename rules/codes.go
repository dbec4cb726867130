package rules

// Finding codes. They are stable API: reports, SQL views and analysts'
// filters match on them, so a code is never renamed, only added.
const (
	// Text and names.
	CodeTraditionalConverted = "traditional_converted" // info: 繁体 converted to 简体
	CodeNameSpacesRemoved    = "name_spaces_removed"   // info: inner spaces removed from a name
	CodeNameSuspicious       = "name_suspicious"       // warning: digits, Latin letters or symbols mixed with Han
	CodeNameNote             = "name_note"             // warning: a bracketed note after the name was taken off
	CodeNameMultiple         = "name_multiple"         // warning: several names in one cell (李娜、刘洋), kept as written
	CodeNameTitle            = "name_title"            // warning: a title after the name (张伟同志) taken off, or a surname with only a title (王书记)

	// 公民身份证号.
	CodeIDFormat       = "id_format"        // error: wrong length or characters
	CodeIDRegion       = "id_region"        // error: region code impossible
	CodeIDBirthDate    = "id_birth_date"    // error: birth date part impossible
	CodeIDCheckDigit   = "id_check_digit"   // error: ISO 7064 check character wrong
	CodeIDConverted15  = "id_converted_15"  // info: legacy 15 digits converted to 18
	CodeIDExcelDamaged = "id_excel_damaged" // error: number cell, digits lost
	CodeIDMaybeDamaged = "id_maybe_damaged" // warning: valid, but ends in 000 as Excel-cut numbers do

	// Phone numbers.
	CodePhoneFormat       = "phone_format"        // error: no phone number found
	CodePhoneExcelDamaged = "phone_excel_damaged" // error: scientific notation, digits lost
	CodePhoneNoAreaCode   = "phone_no_area_code"  // warning: landline without 区号
	CodePhoneMultiple     = "phone_multiple"      // info: several numbers in one cell
	CodePhoneExtraText    = "phone_extra_text"    // warning: digits left over that form no number

	// Dates.
	CodeDateFormat    = "date_format"    // error: not a date
	CodeDateInvalid   = "date_invalid"   // error: looks like a date but cannot exist (1985-02-30)
	CodeDateAmbiguous = "date_ambiguous" // error: 12/03/1985, day and month cannot be told apart
	CodeDateFuture    = "date_future"    // warning: after the reference date
	CodeDateVague     = "date_vague"     // warning: a contact date given as part of a month or year (2026年3月上旬), kept as the month or year
	CodeDateNoYear    = "date_no_year"   // error: a contact date with month and day but no year (3月5日)

	// Closed vocabularies.
	CodeGenderUnknown       = "gender_unknown"        // warning
	CodeEthnicityUnknown    = "ethnicity_unknown"     // warning
	CodeEducationUnknown    = "education_unknown"     // warning
	CodeMemberTypeUnknown   = "member_type_unknown"   // warning
	CodeCommunityUnknown    = "community_unknown"     // warning
	CodeActivityTypeUnknown = "activity_type_unknown" // warning
	CodeDecisionUnknown     = "decision_unknown"      // warning
	CodeBoolUnknown         = "bool_unknown"          // warning

	// Numbers.
	CodeNumberFormat     = "number_format"     // error: not a number
	CodeHoursImplausible = "hours_implausible" // warning: negative or more than 24 hours
	CodeHoursApproximate = "hours_approximate" // warning: 半天, 1天, 2-3小时, 约2小时 read as a number of hours

	// Record-level checks (CrossCheck).
	CodeIDBirthMismatch   = "id_birth_mismatch"   // warning: stated birth date ≠ birth date in the ID number
	CodeIDGenderMismatch  = "id_gender_mismatch"  // warning: stated gender ≠ gender in the ID number
	CodeJoinUnderage      = "join_underage"       // warning: joined before the 18th birthday
	CodeJoinDateFuture    = "join_date_future"    // warning: join date after the reference date
	CodeRegularBeforeJoin = "regular_before_join" // warning: became a full member before joining
	CodeAgeImplausible    = "age_implausible"     // warning: age outside MinAge..MaxAge
)

// codeSeverities is the severity each code is always reported with. It is
// an immutable table: read, never written.
var codeSeverities = map[string]Severity{
	CodeTraditionalConverted: SeverityInfo,
	CodeNameSpacesRemoved:    SeverityInfo,
	CodeNameSuspicious:       SeverityWarning,
	CodeNameNote:             SeverityWarning,
	CodeNameTitle:            SeverityWarning,
	CodeNameMultiple:         SeverityWarning,
	CodeIDFormat:             SeverityError,
	CodeIDRegion:             SeverityError,
	CodeIDBirthDate:          SeverityError,
	CodeIDCheckDigit:         SeverityError,
	CodeIDConverted15:        SeverityInfo,
	CodeIDExcelDamaged:       SeverityError,
	CodeIDMaybeDamaged:       SeverityWarning,
	CodePhoneFormat:          SeverityError,
	CodePhoneExcelDamaged:    SeverityError,
	CodePhoneNoAreaCode:      SeverityWarning,
	CodePhoneMultiple:        SeverityInfo,
	CodePhoneExtraText:       SeverityWarning,
	CodeDateFormat:           SeverityError,
	CodeDateInvalid:          SeverityError,
	CodeDateAmbiguous:        SeverityError,
	CodeDateFuture:           SeverityWarning,
	CodeDateVague:            SeverityWarning,
	CodeDateNoYear:           SeverityError,
	CodeGenderUnknown:        SeverityWarning,
	CodeEthnicityUnknown:     SeverityWarning,
	CodeEducationUnknown:     SeverityWarning,
	CodeMemberTypeUnknown:    SeverityWarning,
	CodeCommunityUnknown:     SeverityWarning,
	CodeActivityTypeUnknown:  SeverityWarning,
	CodeDecisionUnknown:      SeverityWarning,
	CodeBoolUnknown:          SeverityWarning,
	CodeNumberFormat:         SeverityError,
	CodeHoursImplausible:     SeverityWarning,
	CodeHoursApproximate:     SeverityWarning,
	CodeIDBirthMismatch:      SeverityWarning,
	CodeIDGenderMismatch:     SeverityWarning,
	CodeJoinUnderage:         SeverityWarning,
	CodeJoinDateFuture:       SeverityWarning,
	CodeRegularBeforeJoin:    SeverityWarning,
	CodeAgeImplausible:       SeverityWarning,
}

// SeverityOf returns the severity a finding code is reported with, and
// whether the code is known.
func SeverityOf(code string) (Severity, bool) {
	s, ok := codeSeverities[code]
	return s, ok
}

// newFinding builds a finding with the code's fixed severity. The field is
// filled in by Cleaner.Clean; standalone parsers leave it empty.
func newFinding(code, msg string) Finding {
	return Finding{Code: code, Severity: codeSeverities[code], Message: msg}
}

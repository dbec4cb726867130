package sampledata

import "math/rand/v2"

// defect is one thing done to a row on purpose; its name goes to Record.Defects and truth/records.csv.
type defect uint8

const (
	idExcelDamaged   defect = iota // 18-digit ID typed into a number cell: 15 significant digits kept
	id15                           // legacy 15-digit ID
	idLowerX                       // check character x instead of X
	idSpaces                       // ID typed in groups: 430524 19850312 123X
	idBadCheck                     // wrong check character
	idMissing                      // ID left blank
	fullwidthDigits                // full-width digits in the ID (or the phone when there is no ID column)
	nameSpaces                     // 张 伟, 张　伟, trailing space
	traditionalChars               // 張偉
	homophone                      // 张玮 for 张伟, in one source only
	middleDotVariant               // 古丽娜尔•艾买提
	dateTextFormat                 // a date as text other than 2006-01-02: 1985.03, 1985年3月, 1985/3/12, 19850312 …
	dateSerial                     // a date as an Excel serial number in a General cell
	birthMismatch                  // stated birth date disagrees with the ID number
	phonePlus86                    // +86 138 1234 5678
	phoneFormatted                 // spaces or dashes inside the mobile number
	phoneNumberCell                // mobile typed into a number cell
	landlineOnly                   // 0755-28xxxxxx where the mobile should be
	phoneMissing                   // no phone
	phoneStale                     // an older phone number than the newest survey has
	noName                         // no name: the row cannot describe a person
	duplicateRow                   // the same person (or activity) listed again
	movedAway                      // listed by a community the person has since left
	unknownPerson                  // describes nobody in the registry
	numDefects
)

var defectNames = [numDefects]string{
	idExcelDamaged:   "id_excel_damaged",
	id15:             "id_15",
	idLowerX:         "id_lower_x",
	idSpaces:         "id_spaces",
	idBadCheck:       "id_bad_check",
	idMissing:        "id_missing",
	fullwidthDigits:  "fullwidth_digits",
	nameSpaces:       "name_spaces",
	traditionalChars: "traditional",
	homophone:        "homophone",
	middleDotVariant: "middle_dot_variant",
	dateTextFormat:   "date_text_format",
	dateSerial:       "date_serial",
	birthMismatch:    "birth_mismatch",
	phonePlus86:      "phone_+86",
	phoneFormatted:   "phone_formatted",
	phoneNumberCell:  "phone_number_cell",
	landlineOnly:     "landline",
	phoneMissing:     "phone_missing",
	phoneStale:       "phone_stale",
	noName:           "no_name",
	duplicateRow:     "duplicate",
	movedAway:        "moved",
	unknownPerson:    "unknown_person",
}

func (d defect) String() string { return defectNames[d] }

// defectSet is a set of defects.
type defectSet uint32

func (s defectSet) has(d defect) bool { return s&(1<<d) != 0 }

func (s *defectSet) add(d defect) { *s |= 1 << d }

func (s defectSet) names() []string {
	if s == 0 {
		return nil
	}
	var out []string
	for d := defect(0); d < numDefects; d++ {
		if s.has(d) {
			out = append(out, defectNames[d])
		}
	}
	return out
}

// Defects come in groups of which a row gets at most one: a row's ID is damaged in one way, not two.
var (
	idGroup    = []defect{idExcelDamaged, id15, idLowerX, idSpaces, idBadCheck, idMissing, fullwidthDigits}
	nameGroup  = []defect{nameSpaces, traditionalChars, homophone, middleDotVariant}
	phoneGroup = []defect{phonePlus86, phoneFormatted, phoneNumberCell, landlineOnly, phoneMissing}
	dateGroup  = []defect{dateTextFormat, dateSerial}
)

func groupOf(d defect) []defect {
	for _, g := range [][]defect{idGroup, nameGroup, phoneGroup, dateGroup} {
		for _, x := range g {
			if x == d {
				return g
			}
		}
	}
	return nil
}

// rates gives each defect's probability per row; a row draws once per group.
type rates map[defect]float64

// draw picks the defects of one row; ok says which are possible for this row (the template has the column, the
// person's ID ends in X, …).
func (r rates) draw(rng *rand.Rand, ok func(defect) bool) defectSet {
	var s defectSet
	for _, g := range [][]defect{idGroup, nameGroup, phoneGroup, dateGroup, {birthMismatch}} {
		x := rng.Float64()
		for _, d := range g {
			p := r[d]
			if x < p {
				if ok(d) {
					s.add(d)
				}
				break
			}
			x -= p
		}
	}
	return s
}

// free reports whether d can be added to s without a second defect from the same group.
func (s defectSet) free(d defect) bool {
	for _, x := range groupOf(d) {
		if s.has(x) {
			return false
		}
	}
	return true
}

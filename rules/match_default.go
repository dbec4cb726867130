package rules

// DefaultMatchInput selects the records liudong links: the current,
// accepted person records (surveys and origin rosters), with
//   - id_number: the 18-character number whenever one was read (valid or
//     not, so a one-digit typo can still be matched), id_valid whether it
//     passed GB 11643, id_prefix its trustworthy leading digits (all 17 for
//     an 18-character number, the surviving ones when Excel damaged it);
//   - name and name_pinyin (toneless pinyin, from match_name_key);
//   - birth: from the ID number when it is valid, else as stated, ISO text
//     as precise as given (1985-03-12, 1985-03, 1985);
//   - phone, gender, origin_branch_key, community.
const DefaultMatchInput = `SELECT r.record_id, r.source_kind, r.name, k.name_pinyin,
       r.id_number, r.id_status IN ('valid', 'converted_15') AS id_valid, r.id_prefix,
       CASE WHEN r.id_status IN ('valid', 'converted_15') AND r.id_birth_date IS NOT NULL
            THEN strftime(r.id_birth_date, '%Y-%m-%d') ELSE r.birth_date END AS birth,
       r.phone, r.gender, r.origin_branch_key, r.community
FROM v_source_record r
LEFT JOIN match_name_key k ON k.name = r.name
WHERE r.status = 'accepted' AND r.source_kind IN ('survey', 'roster')`

// DefaultMatchConfig returns liudong's linkage of person records: blocking
// on the ID number, phone, name with birth date, pinyin with birth year,
// IDs one edit apart and damaged-ID prefixes; comparisons of ID number,
// name, birth date, phone, gender, origin branch and community; m by EM,
// u from a million random pairs; link at probability 0.95, review from 0.5.
func DefaultMatchConfig() MatchConfig {
	return MatchConfig{
		Input:    DefaultMatchInput,
		NameKeys: `SELECT DISTINCT name FROM source_record WHERE name IS NOT NULL AND source_kind IN ('survey', 'roster', 'activity', 'counsellor', 'visit')`,
		Blocking: []BlockingRule{
			{Name: "id_number", Keys: []string{"CASE WHEN id_valid THEN id_number END"}},
			{Name: "phone", Keys: []string{"phone"}},
			{Name: "name_birth", Keys: []string{"name", "birth"}},
			// Homophones born the same year, for records without a valid
			// ID number: two valid numbers are paired by id_number when
			// they are one person, and are two people when they differ.
			// Over both valid, the groups of a common pinyin grow with
			// the population (12 pairs a record at a million persons).
			{Name: "pinyin_birth_year", Keys: []string{"name_pinyin", "left(birth, 4)"}, UnlessBoth: "id_valid"},
			// ID numbers one substitution or adjacent swap apart. Cut the
			// number into region [1,6], birth year [7,10], month-day
			// [11,14] and sequence-check [15,18]: a substitution leaves
			// three of the four whole, so four rules each drop one part;
			// a swap across two parts is caught by the three rules that
			// drop the two swapped characters. Every key keeps at least
			// 12 characters with part of the birth date or sequence, so
			// no rule pairs everyone from one county born in one year.
			// One typo fails the check digit (GB 11643: every
			// substitution and adjacent swap does), so two valid numbers
			// are never one edit apart: unless_both id_valid leaves out
			// the pairs of two people of one county and birthday.
			{Name: "id_edit_region", Keys: []string{"CASE WHEN length(id_number) = 18 THEN right(id_number, 12) END"}, UnlessBoth: "id_valid"},
			{Name: "id_edit_year", Keys: []string{"CASE WHEN length(id_number) = 18 THEN left(id_number, 6) || right(id_number, 8) END"}, UnlessBoth: "id_valid"},
			{Name: "id_edit_month_day", Keys: []string{"CASE WHEN length(id_number) = 18 THEN left(id_number, 10) || right(id_number, 4) END"}, UnlessBoth: "id_valid"},
			{Name: "id_edit_sequence", Keys: []string{"CASE WHEN length(id_number) = 18 THEN left(id_number, 14) END"}, UnlessBoth: "id_valid"},
			{Name: "id_swap_6_7", Keys: []string{"CASE WHEN length(id_number) = 18 THEN left(id_number, 5) || right(id_number, 11) END"}, UnlessBoth: "id_valid"},
			{Name: "id_swap_10_11", Keys: []string{"CASE WHEN length(id_number) = 18 THEN left(id_number, 9) || right(id_number, 7) END"}, UnlessBoth: "id_valid"},
			{Name: "id_swap_14_15", Keys: []string{"CASE WHEN length(id_number) = 18 THEN left(id_number, 13) || right(id_number, 3) END"}, UnlessBoth: "id_valid"},
			// A number Excel damaged keeps its first digits: region and
			// birth date, with the name's sound.
			{Name: "id_prefix_pinyin", Keys: []string{"CASE WHEN length(id_prefix) >= 14 THEN left(id_prefix, 14) END", "name_pinyin"}},
		},
		Comparisons: []Comparison{
			{Name: "id_number", Levels: []Level{
				{Name: "null", Null: true, SQL: "(l.id_number IS NULL AND coalesce(length(l.id_prefix), 0) < 12) OR (r.id_number IS NULL AND coalesce(length(r.id_prefix), 0) < 12)"},
				{Name: "exact", SQL: "l.id_number = r.id_number", MPrior: 0.85, UPrior: 1e-6},
				// Excel cut a number cell to 15 digits and someone typed or
				// pasted it back as text: …109393 became …109000, which one
				// time in eleven still passes the check digit (ingest warns:
				// id_maybe_damaged).
				{Name: "excel_000", SQL: "l.id_number <> r.id_number AND (right(l.id_number, 3) = '000' OR right(r.id_number, 3) = '000') AND left(l.id_number, 15) = left(r.id_number, 15)", MPrior: 0.01, UPrior: 1e-6},
				{Name: "damaged_prefix", SQL: "(l.id_number IS NULL OR r.id_number IS NULL) AND (starts_with(l.id_prefix, r.id_prefix) OR starts_with(r.id_prefix, l.id_prefix))", MPrior: 0.04, UPrior: 1e-6},
				{Name: "one_edit", SQL: "length(l.id_number) = length(r.id_number) AND hamming(l.id_number, r.id_number) <= 2 AND damerau_levenshtein(l.id_number, r.id_number) = 1", MPrior: 0.03, UPrior: 1e-6},
				{Name: "else", MPrior: 0.08, UPrior: 1},
			}},
			{Name: "name", TermFrequency: "name", Levels: []Level{
				{Name: "null", Null: true, SQL: "l.name IS NULL OR r.name IS NULL"},
				{Name: "exact", SQL: "l.name = r.name", TermFrequency: true, MPrior: 0.85, UPrior: 0.001},
				{Name: "pinyin", SQL: "l.name_pinyin = r.name_pinyin", MPrior: 0.05, UPrior: 0.0005},
				{Name: "jaro_winkler_0.9", SQL: "jaro_winkler_similarity(l.name, r.name) >= 0.9", MPrior: 0.03, UPrior: 0.001},
				{Name: "jaro_winkler_0.8", SQL: "jaro_winkler_similarity(l.name, r.name) >= 0.8", MPrior: 0.02, UPrior: 0.005},
				{Name: "else", MPrior: 0.05, UPrior: 1},
			}},
			{Name: "birth", Levels: []Level{
				{Name: "null", Null: true, SQL: "l.birth IS NULL OR r.birth IS NULL"},
				{Name: "exact", SQL: "l.birth = r.birth", MPrior: 0.85, UPrior: 0.0001},
				{Name: "year_month", SQL: "left(l.birth, 7) = left(r.birth, 7) AND length(l.birth) >= 7 AND length(r.birth) >= 7", MPrior: 0.05, UPrior: 0.002},
				{Name: "day_month_swapped", SQL: "length(l.birth) = 10 AND length(r.birth) = 10 AND left(l.birth, 4) = left(r.birth, 4) AND substr(l.birth, 6, 2) = substr(r.birth, 9, 2) AND substr(l.birth, 9, 2) = substr(r.birth, 6, 2)", MPrior: 0.01, UPrior: 1e-5},
				{Name: "year", SQL: "left(l.birth, 4) = left(r.birth, 4)", MPrior: 0.04, UPrior: 0.025},
				{Name: "else", MPrior: 0.05, UPrior: 1},
			}},
			{Name: "phone", Levels: []Level{
				{Name: "null", Null: true, SQL: "l.phone IS NULL OR r.phone IS NULL"},
				{Name: "exact", SQL: "l.phone = r.phone", MPrior: 0.7, UPrior: 1e-5},
				{Name: "else", MPrior: 0.3, UPrior: 1},
			}},
			{Name: "gender", Levels: []Level{
				{Name: "null", Null: true, SQL: "l.gender IS NULL OR r.gender IS NULL"},
				{Name: "exact", SQL: "l.gender = r.gender", MPrior: 0.97, UPrior: 0.5},
				{Name: "else", MPrior: 0.03, UPrior: 0.5},
			}},
			{Name: "origin_branch", Levels: []Level{
				{Name: "null", Null: true, SQL: "l.origin_branch_key IS NULL OR r.origin_branch_key IS NULL"},
				{Name: "exact", SQL: "l.origin_branch_key = r.origin_branch_key", MPrior: 0.7, UPrior: 0.02},
				{Name: "contains", SQL: "contains(l.origin_branch_key, r.origin_branch_key) OR contains(r.origin_branch_key, l.origin_branch_key)", MPrior: 0.15, UPrior: 0.005},
				{Name: "else", MPrior: 0.15, UPrior: 1},
			}},
			{Name: "community", Levels: []Level{
				{Name: "null", Null: true, SQL: "l.community IS NULL OR r.community IS NULL"},
				{Name: "exact", SQL: "l.community = r.community", MPrior: 0.7, UPrior: 0.2},
				{Name: "else", MPrior: 0.3, UPrior: 0.8},
			}},
		},
		LinkThreshold:   0.95,
		ReviewThreshold: 0.5,
		URandomPairs:    1_000_000,
		Seed:            1,
		EMMaxIterations: 100,
		EMTolerance:     1e-5,
		MaxPairsPerRule: 50_000_000,
		Incremental:     true,
		TFMinimum:       1e-5,
		MPriorPairs:     20,
		UPriorPairs:     1000,
	}
}

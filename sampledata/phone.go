package sampledata

import (
	"math/rand/v2"
	"strconv"
)

var mobilePrefixes = []string{"130", "131", "132", "133", "134", "135", "136", "137", "138", "139", "150", "151",
	"152", "153", "155", "156", "157", "158", "159", "166", "176", "177", "178", "180", "181", "182", "183", "184",
	"185", "186", "187", "188", "189", "191", "198", "199"}

// phoneBook hands out mobile numbers that nobody else in the data has, so that a phone is a usable key.
type phoneBook struct {
	used map[string]struct{}
}

func newPhoneBook(n int) *phoneBook { return &phoneBook{used: make(map[string]struct{}, n)} }

func (b *phoneBook) mobile(rng *rand.Rand) string {
	for {
		s := oneOf(rng, mobilePrefixes) + pad8(rng.IntN(100000000))
		if _, ok := b.used[s]; !ok {
			b.used[s] = struct{}{}
			return s
		}
	}
}

func pad8(n int) string {
	s := strconv.Itoa(n)
	for len(s) < 8 {
		s = "0" + s
	}
	return s
}

// landline is a Longgang fixed line (0755-28xxxxxx / 0755-84xxxxxx).
func landline(rng *rand.Rand) string {
	return "0755-" + oneOf(rng, []string{"28", "84", "89"}) + pad6(rng.IntN(1000000))
}

func pad6(n int) string {
	s := strconv.Itoa(n)
	for len(s) < 6 {
		s = "0" + s
	}
	return s
}

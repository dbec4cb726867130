// Package rules says what "clean" means: it turns one raw cell text into a
// canonical value plus findings, and knows the canonical fields. It imports
// none of liudong's other packages.
package rules

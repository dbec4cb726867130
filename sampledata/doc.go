// Package sampledata writes a realistic synthetic inbox — the survey, roster, activity, counsellor and visit
// files 宝龙街道's offices really send, defects included — with the ground truth kept beside it, byte for byte
// the same for the same Options.
package sampledata

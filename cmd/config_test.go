package cmd

import (
	"bytes"
	"fmt"
	"os"
	"path/filepath"
	"reflect"
	"strings"
	"testing"

	"github.com/spf13/pflag"

	"github.com/baolong/liudong/pipeline"
)

func testFlags(t *testing.T, args ...string) (*pflag.FlagSet, *configFlags) {
	t.Helper()
	fs := pflag.NewFlagSet("test", pflag.ContinueOnError)
	cf := &configFlags{}
	cf.register(fs, "out")
	if err := fs.Parse(args); err != nil {
		t.Fatal(err)
	}
	return fs, cf
}

func envOf(m map[string]string) func(string) string { return func(k string) string { return m[k] } }

func writeFile(t *testing.T, path, body string) {
	t.Helper()
	if err := os.MkdirAll(filepath.Dir(path), 0o755); err != nil {
		t.Fatal(err)
	}
	if err := os.WriteFile(path, []byte(body), 0o644); err != nil {
		t.Fatal(err)
	}
}

// TestShippedConfigIsTheDefault keeps config.yaml and DefaultConfig() in
// step: the file documents every default, so they must agree.
func TestShippedConfigIsTheDefault(t *testing.T) {
	fs, cf := testFlags(t, "--config", "../config.yaml")
	got, err := loadConfig(fs, cf, envOf(nil))
	if err != nil {
		t.Fatal(err)
	}
	want := pipeline.DefaultConfig()
	abs, _ := filepath.Abs("..")
	want.Resolve(abs)
	g, w := normalize(structToMap(got)).(map[string]any), normalize(structToMap(want)).(map[string]any)
	for _, d := range diffMaps("", g, w) {
		t.Errorf("config.yaml differs from DefaultConfig() at %s", d)
	}
}

// normalize treats nil and empty slices alike.
func normalize(v any) any {
	switch x := v.(type) {
	case map[string]any:
		out := map[string]any{}
		for k, e := range x {
			out[k] = normalize(e)
		}
		return out
	case []any:
		if len(x) == 0 {
			return []any{}
		}
		out := make([]any, len(x))
		for i, e := range x {
			out[i] = normalize(e)
		}
		return out
	}
	return v
}

func TestLoadConfig(t *testing.T) {
	dir := t.TempDir()
	cwd, _ := os.Getwd()
	tests := []struct {
		name    string
		file    string // config.yaml body; "" means no file
		args    []string
		env     map[string]string
		check   func(t *testing.T, c pipeline.Config)
		wantErr string
	}{
		{
			name: "defaults without a file",
			check: func(t *testing.T, c pipeline.Config) {
				if c.Street != "宝龙街道" || c.Ingest.Workers != 2 {
					t.Errorf("defaults not applied: %+v", c.Street)
				}
			},
		},
		{
			name: "file paths are relative to the file",
			file: "database: db/x.duckdb\ninbox:\n  dir: in\n",
			check: func(t *testing.T, c pipeline.Config) {
				if c.Database != filepath.Join(dir, "file paths are relative to the file", "db/x.duckdb") {
					t.Errorf("database = %s", c.Database)
				}
				if c.Inbox.Surveys != "surveys" {
					t.Errorf("a partial inbox section lost the other folders: %+v", c.Inbox)
				}
			},
		},
		{
			name:    "unknown key is an error naming it",
			file:    "street: x\ninbx:\n  dir: in\n",
			wantErr: "inbx",
		},
		{
			name:    "unknown nested key is an error naming it",
			file:    "ingest:\n  wrokers: 3\n",
			wantErr: "wrokers",
		},
		{
			name:    "invalid value names the key",
			file:    "ingest:\n  workers: 0\n",
			wantErr: "ingest.workers",
		},
		{
			name:    "a memory limit that is not a size names the key",
			file:    "database_memory_limit: lots\n",
			wantErr: "database_memory_limit",
		},
		{
			name:    "an output memory limit that is not a size names the key",
			file:    "database_output_memory_limit: half\n",
			wantErr: "database_output_memory_limit",
		},
		{
			name:    "a Go memory limit that is not a size names the key",
			file:    "go_memory_limit: 2 gigs\n",
			wantErr: "go_memory_limit",
		},
		{
			name:    "a negative registry source limit names the key",
			file:    "out:\n  registry_source_rows: -1\n",
			wantErr: "out.registry_source_rows",
		},
		{
			name: "a memory limit as DuckDB writes it",
			file: "database_memory_limit: 2.5GiB\n",
			check: func(t *testing.T, c pipeline.Config) {
				if c.DatabaseMemoryLimit != "2.5GiB" || c.Out.RegistrySourceRows != 1_000_000 {
					t.Errorf("database_memory_limit = %q, out.registry_source_rows = %d", c.DatabaseMemoryLimit, c.Out.RegistrySourceRows)
				}
			},
		},
		{
			name: "one alias list can be overridden, others stay",
			file: "ingest:\n  aliases:\n    name: [姓名, 同志姓名]\n",
			check: func(t *testing.T, c pipeline.Config) {
				if got := c.Ingest.Aliases["name"]; len(got) != 2 || got[1] != "同志姓名" {
					t.Errorf("name aliases = %v", got)
				}
				if len(c.Ingest.Aliases["id_number"]) < 3 {
					t.Errorf("id_number aliases lost: %v", c.Ingest.Aliases["id_number"])
				}
			},
		},
		{
			name: "env overrides file, flag overrides env",
			file: "database: file.duckdb\nout:\n  dir: fileout\nlog:\n  level: warn\n",
			env:  map[string]string{"LIUDONG_DB": "env.duckdb", "LIUDONG_OUT": "envout", "LIUDONG_LOG_LEVEL": "debug"},
			args: []string{"--out", "flagout"},
			check: func(t *testing.T, c pipeline.Config) {
				if c.Database != filepath.Join(cwd, "env.duckdb") {
					t.Errorf("database = %s, want env value relative to the working directory", c.Database)
				}
				if c.Out.Dir != filepath.Join(cwd, "flagout") {
					t.Errorf("out = %s, want the flag", c.Out.Dir)
				}
				if c.Log.Level != "debug" {
					t.Errorf("log.level = %s, want debug from LIUDONG_LOG_LEVEL", c.Log.Level)
				}
			},
		},
		{
			name: "the street's time zone, and the schedule's following it",
			file: "timezone: Europe/Berlin\n",
			check: func(t *testing.T, c pipeline.Config) {
				loc, err := c.Location()
				if err != nil || loc.String() != "Europe/Berlin" {
					t.Errorf("Location() = %v, %v; want Europe/Berlin", loc, err)
				}
				if loc, err := c.ScheduleLocation(); err != nil || loc.String() != "Europe/Berlin" {
					t.Errorf("ScheduleLocation() = %v, %v; want timezone's Europe/Berlin when schedule.timezone is empty", loc, err)
				}
			},
		},
		{
			name: "an explicit schedule time zone is kept",
			file: "schedule:\n  timezone: Asia/Urumqi\n",
			check: func(t *testing.T, c pipeline.Config) {
				if loc, _ := c.Location(); loc.String() != "Asia/Shanghai" {
					t.Errorf("Location() = %v, want the default Asia/Shanghai", loc)
				}
				if loc, err := c.ScheduleLocation(); err != nil || loc.String() != "Asia/Urumqi" {
					t.Errorf("ScheduleLocation() = %v, %v; want Asia/Urumqi", loc, err)
				}
			},
		},
		{
			name: "the time zone from the environment",
			env:  map[string]string{"LIUDONG_TIMEZONE": "Asia/Hong_Kong"},
			check: func(t *testing.T, c pipeline.Config) {
				if c.Timezone != "Asia/Hong_Kong" {
					t.Errorf("timezone = %q, want Asia/Hong_Kong from LIUDONG_TIMEZONE", c.Timezone)
				}
			},
		},
		{
			name:    "an unknown time zone names the key",
			file:    "timezone: Asia/Baolong\n",
			wantErr: `timezone: unknown time zone "Asia/Baolong"`,
		},
		{
			name:    "an empty time zone is refused, not read as UTC",
			file:    "timezone: \"\"\n",
			wantErr: "timezone: must not be empty",
		},
		{
			name:    "the machine's zone is refused",
			file:    "timezone: Local\n",
			wantErr: `timezone: "Local" is the machine's zone`,
		},
		{
			name:    "an unknown schedule time zone names its key",
			file:    "schedule:\n  timezone: Mars/Olympus\n",
			wantErr: `schedule.timezone: unknown time zone "Mars/Olympus"`,
		},
		{
			name:    "explicit missing config file",
			args:    []string{"--config", "/nonexistent/config.yaml"},
			wantErr: "/nonexistent/config.yaml",
		},
		{
			name:    "bad yaml",
			file:    "street: [unclosed\n",
			wantErr: "read config",
		},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			args := tt.args
			if tt.file != "" {
				p := filepath.Join(dir, tt.name, "config.yaml")
				writeFile(t, p, tt.file)
				args = append([]string{"--config", p}, args...)
			} else if len(args) == 0 || args[0] != "--config" {
				args = append([]string{"--config", filepath.Join(dir, "absent.yaml")}, args...)
			}
			fs, cf := testFlags(t, args...)
			if tt.file == "" && tt.wantErr == "" {
				fs.Lookup("config").Changed = false // the default path may be absent
			}
			c, err := loadConfig(fs, cf, envOf(tt.env))
			if tt.wantErr != "" {
				if err == nil || !strings.Contains(err.Error(), tt.wantErr) {
					t.Fatalf("err = %v, want one mentioning %q", err, tt.wantErr)
				}
				return
			}
			if err != nil {
				t.Fatal(err)
			}
			tt.check(t, c)
		})
	}
}

func TestExitCodes(t *testing.T) {
	tests := []struct {
		name string
		args []string
		want int
	}{
		{"version", []string{"version"}, ExitOK},
		{"unknown flag", []string{"run", "--nope"}, ExitUsage},
		{"bad config", []string{"run", "--config", "/nonexistent.yaml"}, ExitUsage},
		{"demo persons zero", []string{"demo", "--persons", "0"}, ExitUsage},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			var out, errb bytes.Buffer
			if got := Do(tt.args, nil, &out, &errb); got != tt.want {
				t.Errorf("exit code = %d, want %d; stderr: %s", got, tt.want, errb.String())
			}
		})
	}
}

// diffMaps lists the keys where two nested maps differ, with both values.
func diffMaps(prefix string, got, want map[string]any) []string {
	var out []string
	keys := map[string]bool{}
	for k := range got {
		keys[k] = true
	}
	for k := range want {
		keys[k] = true
	}
	for k := range keys {
		g, w := got[k], want[k]
		gm, gok := g.(map[string]any)
		wm, wok := w.(map[string]any)
		if gok && wok {
			out = append(out, diffMaps(prefix+k+".", gm, wm)...)
			continue
		}
		if !reflect.DeepEqual(g, w) {
			out = append(out, fmt.Sprintf("%s%s: file %v, default %v", prefix, k, g, w))
		}
	}
	return out
}

package cmd

import (
	"errors"
	"fmt"
	"io/fs"
	"os"
	"path/filepath"
	"reflect"
	"strings"

	"github.com/spf13/pflag"
	"github.com/spf13/viper"

	"github.com/baolong/liudong/pipeline"
)

// configFlags are the flags run and demo share.
type configFlags struct {
	config string
	inbox  string
	db     string
	out    string
}

func (f *configFlags) register(fs *pflag.FlagSet, outHelp string) {
	fs.StringVar(&f.config, "config", "./config.yaml", "configuration file (env LIUDONG_CONFIG)")
	fs.StringVar(&f.inbox, "inbox", "", "inbox folder, overrides inbox.dir (env LIUDONG_INBOX)")
	fs.StringVar(&f.db, "db", "", "registry database file, overrides database (env LIUDONG_DB)")
	fs.StringVar(&f.out, "out", "", outHelp)
}

// pathKeys are the settings that hold paths, with the flag and the short
// environment variable that override each.
var pathKeys = []struct{ key, flag, env string }{
	{"inbox.dir", "inbox", "LIUDONG_INBOX"},
	{"database", "db", "LIUDONG_DB"},
	{"out.dir", "out", "LIUDONG_OUT"},
}

// loadConfig reads the configuration once: built-in defaults, then the
// config file, then LIUDONG_* environment variables, then flags. Unknown keys
// in the file are an error naming the key. Paths in the file are relative to
// the file; paths from flags and the environment to the working directory.
func loadConfig(flags *pflag.FlagSet, cf *configFlags, getenv func(string) string) (pipeline.Config, error) {
	cfg := pipeline.DefaultConfig()
	v := viper.New()
	v.SetConfigType("yaml")
	if err := v.MergeConfigMap(structToMap(cfg)); err != nil {
		return cfg, err
	}

	path := cf.config
	explicit := flags.Changed("config")
	if p := getenv("LIUDONG_CONFIG"); p != "" && !explicit {
		path, explicit = p, true
	}
	baseDir, _ := os.Getwd()
	if _, err := os.Stat(path); err == nil {
		v.SetConfigFile(path)
		if err := v.MergeInConfig(); err != nil {
			return cfg, usageError(fmt.Errorf("read config %s: %w", path, err), "check the YAML syntax (indentation with spaces, a space after each colon)")
		}
		abs, err := filepath.Abs(path)
		if err != nil {
			return cfg, err
		}
		baseDir = filepath.Dir(abs)
	} else if explicit || !errors.Is(err, fs.ErrNotExist) {
		return cfg, usageError(fmt.Errorf("config %s: %w", path, err), "pass --config with the path of config.yaml, or run from the folder that holds it")
	}

	// Environment, then flags: each overrides what came before. Env names
	// are LIUDONG_ + the key with dots as underscores; the path keys also
	// have a short name (LIUDONG_DB).
	fromCWD := map[string]bool{}
	for _, key := range v.AllKeys() {
		if val := getenv(envName(key)); val != "" {
			v.Set(key, val)
			fromCWD[key] = true
		}
	}
	for _, pk := range pathKeys {
		if val := getenv(pk.env); val != "" {
			v.Set(pk.key, val)
			fromCWD[pk.key] = true
		}
		if fl := flags.Lookup(pk.flag); fl != nil && fl.Changed {
			v.Set(pk.key, fl.Value.String())
			fromCWD[pk.key] = true
		}
	}

	if err := v.UnmarshalExact(&cfg); err != nil {
		return cfg, usageError(fmt.Errorf("config %s: %w", path, err), "remove or correct the keys named above; config.yaml in the repository lists every key")
	}
	for _, pk := range pathKeys {
		if fromCWD[pk.key] {
			p := v.GetString(pk.key)
			if abs, err := filepath.Abs(p); err == nil {
				switch pk.key {
				case "inbox.dir":
					cfg.Inbox.Dir = abs
				case "database":
					cfg.Database = abs
				case "out.dir":
					cfg.Out.Dir = abs
				}
			}
		}
	}
	cfg.Resolve(baseDir)
	if err := cfg.Validate(); err != nil {
		return cfg, usageError(fmt.Errorf("config %s: %w", path, err), "fix the setting named above in config.yaml")
	}
	return cfg, nil
}

// structToMap turns a config struct into nested maps keyed by mapstructure
// tags, so the defaults are viper's first layer and every key is known to
// viper (which makes LIUDONG_* variables work for all of them).
func structToMap(v any) map[string]any {
	out := map[string]any{}
	rv := reflect.ValueOf(v)
	rt := rv.Type()
	for i := 0; i < rt.NumField(); i++ {
		tag := rt.Field(i).Tag.Get("mapstructure")
		if tag == "" || tag == "-" {
			continue
		}
		out[tag] = toPlain(rv.Field(i))
	}
	return out
}

func toPlain(v reflect.Value) any {
	switch v.Kind() {
	case reflect.Struct:
		return structToMap(v.Interface())
	case reflect.Map:
		m := map[string]any{}
		iter := v.MapRange()
		for iter.Next() {
			m[fmt.Sprint(iter.Key().Interface())] = toPlain(iter.Value())
		}
		return m
	case reflect.Slice:
		s := make([]any, v.Len())
		for i := range s {
			s[i] = toPlain(v.Index(i))
		}
		return s
	case reflect.String:
		return v.String()
	default:
		return v.Interface()
	}
}

// envName is the environment variable that overrides a config key.
func envName(key string) string {
	return "LIUDONG_" + strings.ToUpper(strings.ReplaceAll(key, ".", "_"))
}

package render

import (
	"fmt"
	"io"
	"os"
	"path/filepath"

	"github.com/bep/logg"
	"github.com/gohugoio/hugo/common/loggers"
	"github.com/gohugoio/hugo/config"
	"github.com/gohugoio/hugo/config/allconfig"
	"github.com/gohugoio/hugo/hugofs"
)

// Config reads the project's hugo.toml as Hugo does for a build, without building: for the
// commands that need only the configuration (veiviser deploy reads [deployment] from it). An
// error names hugo.toml and, where it can be known, the line, as Site's do.
func Config(dir string) (config.AllProvider, error) {
	abs, err := filepath.Abs(dir)
	if err != nil {
		return nil, err
	}
	if _, err := os.Stat(filepath.Join(abs, "hugo.toml")); err != nil {
		return nil, fmt.Errorf("%s: no hugo.toml: not a Veiviser project", dir)
	}
	flags := config.New()
	flags.Set("workingDir", abs)
	logger := loggers.New(loggers.Options{Level: logg.LevelError, StdOut: io.Discard, StdErr: io.Discard})
	configs, err := loadConfig(abs, flags, logger)
	if err != nil {
		return nil, err
	}
	return configs.GetFirstLanguageConfig(), nil
}

// loadConfig reads the hugo.toml of the project in dir (absolute) as Hugo does for a
// production build, with the settings in flags; an error is described as describeConfig does.
func loadConfig(dir string, flags config.Provider, logger loggers.Logger) (*allconfig.Configs, error) {
	configs, err := allconfig.LoadConfig(allconfig.ConfigSourceDescriptor{
		Fs:          hugofs.Os,
		Flags:       flags,
		Filename:    filepath.Join(dir, "hugo.toml"),
		Environment: "production",
		Environ:     environ(),
		Logger:      logger,
	})
	if err != nil {
		return nil, describeConfig(dir, err)
	}
	return configs, nil
}

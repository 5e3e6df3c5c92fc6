package main

import (
	"context"
	"errors"
	"fmt"
	"io"
	"time"

	"github.com/dandong-hrss/hrss/bff"
	chwechat "github.com/dandong-hrss/hrss/channels/wechat"
	"github.com/dandong-hrss/hrss/integrations/remote"
	"github.com/dandong-hrss/hrss/integrations/wechat"
)

// wechatCmd runs `hrss wechat menu [file]`: it sets the official account's
// menu from the file in the repo (deploy/wechat-menu.json by default),
// after checking every click key is one the callback answers.
func wechatCmd(args []string, getenv func(string) string, stdout, stderr io.Writer) error {
	if len(args) == 0 || args[0] != "menu" {
		return errors.New("usage: hrss wechat menu [file]; settings as for hrss serve (HRSS_WECHAT_*)")
	}
	cfg := bff.NewConfig("hrss wechat menu [file]")
	cfg.FlagSet().SetOutput(stderr)
	if err := cfg.Parse(args[1:], getenv); err != nil {
		return err
	}
	if cfg.WeChatURL == "" {
		return fmt.Errorf("%s is not set: give %s for the real platform, or a running fake's URL",
			bff.EnvName("wechat-url"), wechat.RealBaseURL)
	}
	path := chwechat.MenuFile
	if rest := cfg.Args(); len(rest) > 0 {
		path = rest[0]
	}
	client, err := wechat.New(wechat.Config{AppID: cfg.WeChatAppID, AppSecret: cfg.WeChatAppSecret, Token: cfg.WeChatToken,
		EncodingAESKey: cfg.WeChatAESKey, BaseURL: cfg.WeChatURL, Policy: remote.DefaultPolicy()}, nil, nil)
	if err != nil {
		return err
	}
	defer client.Close()
	ctx, cancel := context.WithTimeout(context.Background(), 30*time.Second)
	defer cancel()
	if err := chwechat.SetMenuCommand(ctx, client, path); err != nil {
		return err
	}
	fmt.Fprintf(stdout, "menu set from %s\n", path)
	return nil
}

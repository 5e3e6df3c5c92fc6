package wechat

import (
	"context"
	"fmt"

	"github.com/dandong-hrss/hrss/domain"
	wx "github.com/dandong-hrss/hrss/integrations/wechat"
)

// MenuFile is the account's menu as kept in the repository, relative to
// its root; `hrss wechat menu` sets it.
const MenuFile = "deploy/wechat-menu.json"

// SetMenuCommand is `hrss wechat menu`: it reads the menu at path (in the
// platform's own menu JSON), checks it against the platform's limits and
// that every click button has a key the callback answers, and makes it the
// account's menu. Followers see it within minutes; setting the same menu
// again is harmless. Errors: Invalid naming each fault (a click key the
// callback does not know on "button[i].sub_button[j].key"); Unavailable or
// Timeout when the platform is in trouble; an error for an unreadable file.
func SetMenuCommand(ctx context.Context, client MenuSetter, path string) error {
	m, err := wx.LoadMenu(path)
	if err != nil {
		return err
	}
	if err := checkKeys(m); err != nil {
		return err
	}
	return client.SetMenu(ctx, m)
}

// checkKeys refuses click buttons the callback would not answer: a
// follower tapping one would get no reply at all.
func checkKeys(m wx.Menu) error {
	var faults []domain.FieldError
	check := func(path string, b wx.Button) {
		if _, ok := clickIntents[b.Key]; b.Type == wx.ButtonClick && !ok {
			faults = append(faults, domain.FieldError{Field: path + ".key",
				Message: fmt.Sprintf("回调不认识点击菜单的 key %q，应为 %s、%s、%s 或 %s", b.Key, KeyProgress, KeyInstitutions, KeyContact, KeyHelp)})
		}
	}
	for i, b := range m.Buttons {
		path := fmt.Sprintf("button[%d]", i)
		check(path, b)
		for j, s := range b.SubButtons {
			check(fmt.Sprintf("%s.sub_button[%d]", path, j), s)
		}
	}
	if len(faults) > 0 {
		return domain.InvalidFields(faults...)
	}
	return nil
}

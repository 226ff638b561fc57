package web

import (
	"github.com/labstack/echo/v4"

	"handbook/content"
)

// identity is who is asking: the user name that owns course packs and the
// handling levels they may see.
type identity struct {
	User   string
	Levels []string
}

// anonymous owns the packs made before sign-in exists.
const anonymous = "anonymous"

// identify is the one place identity enters the web layer. Until sign-in
// exists every caller is anonymous, sees public documents only, and shares
// the anonymous user's course packs.
func (s *Server) identify(echo.Context) identity {
	return identity{User: anonymous, Levels: []string{content.LevelPublic}}
}

// levels returns the handling levels the caller may see.
func (s *Server) levels(c echo.Context) []string { return s.identify(c).Levels }

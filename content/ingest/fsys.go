package ingest

import (
	"errors"
	"io/fs"
	"os"
	"strings"
	"syscall"
)

// Reasons a path in the content folder is not read, besides those of the
// loaders (see ErrEmpty and the others).
var (
	// ErrNotRegular is a named pipe, device, socket or folder where a
	// document or metadata file was expected.
	ErrNotRegular = errors.New("not a regular file")
	// ErrOutside is a symbolic link that leads outside the content folder.
	ErrOutside = errors.New("the link leads outside the content folder")
	// ErrLinkLoop is a symbolic link that leads back to itself.
	ErrLinkLoop = errors.New("symlink loop")
)

// DirFS returns the content folder dir as a file system that reads only
// what lies inside it, for use instead of os.DirFS: symbolic links are
// followed as long as they stay in the folder (a link out of it is an error
// matching ErrOutside, a loop one matching ErrLinkLoop), and only regular
// files and folders are opened, without blocking (a named pipe, device or
// socket is an error matching ErrNotRegular).
//
// Each call opens the folder afresh (an os.Root, closed again), so nothing
// stays open between calls and a folder that is replaced is seen as it is
// now; a missing folder is an error at the first call.
func DirFS(dir string) fs.FS { return dirFS(dir) }

// dirFS is DirFS's file system.
type dirFS string

// root opens the folder; the caller closes it.
func (d dirFS) root(op, name string) (*os.Root, error) {
	root, err := os.OpenRoot(string(d))
	if err != nil {
		return nil, &fs.PathError{Op: op, Path: name, Err: err}
	}
	return root, nil
}

func (d dirFS) Open(name string) (fs.File, error) {
	if !fs.ValidPath(name) {
		return nil, &fs.PathError{Op: "open", Path: name, Err: fs.ErrInvalid}
	}
	root, err := d.root("open", name)
	if err != nil {
		return nil, err
	}
	defer root.Close() // an open file outlives its root
	// Stat first: opening a device can have effects of its own.
	info, err := root.Stat(name)
	if err != nil {
		return nil, pathError("open", name, err)
	}
	if err := checkMode(info.Mode()); err != nil {
		return nil, &fs.PathError{Op: "open", Path: name, Err: err}
	}
	// O_NONBLOCK: should the file have become a pipe since, open does not
	// wait for a writer; the fstat below then refuses it.
	f, err := root.OpenFile(name, os.O_RDONLY|syscall.O_NONBLOCK|syscall.O_NOCTTY, 0)
	if err != nil {
		return nil, pathError("open", name, err)
	}
	info, err = f.Stat()
	if err == nil {
		err = checkMode(info.Mode())
	}
	if err != nil {
		_ = f.Close()
		return nil, &fs.PathError{Op: "open", Path: name, Err: err}
	}
	return f, nil
}

func (d dirFS) Stat(name string) (fs.FileInfo, error) {
	if !fs.ValidPath(name) {
		return nil, &fs.PathError{Op: "stat", Path: name, Err: fs.ErrInvalid}
	}
	root, err := d.root("stat", name)
	if err != nil {
		return nil, err
	}
	defer root.Close()
	info, err := root.Stat(name)
	if err != nil {
		return nil, pathError("stat", name, err)
	}
	return info, nil
}

// checkMode accepts regular files and folders.
func checkMode(m fs.FileMode) error {
	if m.IsRegular() || m.IsDir() {
		return nil
	}
	return notRegular(m)
}

// notRegular says what a file that is not a regular file is.
func notRegular(m fs.FileMode) error {
	what := "a special file"
	switch {
	case m.IsDir():
		what = "a folder"
	case m&fs.ModeNamedPipe != 0:
		what = "a named pipe (FIFO)"
	case m&fs.ModeSocket != 0:
		what = "a socket"
	case m&fs.ModeCharDevice != 0:
		what = "a character device"
	case m&fs.ModeDevice != 0:
		what = "a device"
	case m&fs.ModeSymlink != 0:
		what = "a symbolic link"
	}
	return kindf(ErrNotRegular, "%s, not a regular file: it is not read", what)
}

// pathError names what os.Root refused in terms of the content folder.
func pathError(op, name string, err error) error {
	switch {
	case errors.Is(err, syscall.ELOOP):
		err = kindf(ErrLinkLoop, "a symlink loop (the link leads back to itself)")
	// os.Root's error for a path that leaves it is not exported.
	case strings.Contains(err.Error(), "path escapes from parent"):
		err = kindf(ErrOutside, "a symbolic link to outside the content folder: it is not read")
	default:
		var pe *fs.PathError
		if errors.As(err, &pe) {
			err = pe.Err
		}
	}
	return &fs.PathError{Op: op, Path: name, Err: err}
}

// RegularFile returns the details of the regular file that the walked entry
// p of fsys is, as the loaders read it: a symlink's target's (through fsys,
// so with DirFS never one outside the folder), and false for a folder, a
// pipe, a device, a socket or a link to any of them or to nothing.
func RegularFile(fsys fs.FS, p string, d fs.DirEntry) (fs.FileInfo, bool) {
	var info fs.FileInfo
	var err error
	switch {
	case d.Type().IsRegular():
		info, err = d.Info()
	case d.Type()&fs.ModeSymlink != 0:
		info, err = fs.Stat(fsys, p) // never opened: a pipe would block
	default:
		return nil, false
	}
	if err != nil || !info.Mode().IsRegular() {
		return nil, false
	}
	return info, true
}

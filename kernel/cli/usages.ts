// One usage line per subcommand, shared by --help and each command's usage errors.

export const usages = {
  install: 'convbook install [--user | --prefix DIR | --sys-prefix | --system] [--name NAME] [--display-name NAME]',
  uninstall: 'convbook uninstall [--user | --prefix DIR | --sys-prefix | --system] [--name NAME]',
  kernel: 'convbook kernel -f CONNECTION_FILE',
  run: 'convbook run NOTEBOOK.ipynb|SOURCE.cnb [-o OUT.ipynb] [--timeout SECONDS]',
  demo: 'convbook demo',
} as const;

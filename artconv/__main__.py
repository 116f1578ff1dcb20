"""``python -m artconv``: the same program as the ``artconv`` command."""

from .command import main

if __name__ == "__main__":
    main()

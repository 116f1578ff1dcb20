"""``python -m artconv``: the same program as the ``artconv`` command."""

from .cli import main

if __name__ == "__main__":
    main()

"""Share: the end of the walk, where a picture is kept and passed on.

``saved`` (save a view with its data, restore it, stories of views), ``workshop`` (the trainer's demo story,
backups and reset).
"""

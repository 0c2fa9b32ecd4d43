from ._marks import *

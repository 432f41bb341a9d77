"""A stand-in for TensorFlow in the Keras export test (TensorFlow cannot be installed there).

It records what the generated model.py asks Keras to build, so the test can compare that
with the TF.js model; it computes nothing.
"""
from . import keras  # noqa: F401

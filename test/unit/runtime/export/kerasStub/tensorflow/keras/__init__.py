"""Stand-in tf.keras: Input, Model and the layer constructors record their arguments."""
from . import layers  # noqa: F401
from .layers import Layer, Tensor


def Input(shape, name=None):
    layer = Layer("InputLayer", (), {"shape": list(shape), "name": name})
    return Tensor(layer)


class Model:
    def __init__(self, inputs, outputs, name=None):
        self.name = name
        self.inputs = inputs
        self.outputs = outputs
        order = []

        def visit(t):
            if t.layer in order:
                return
            for i in t.layer.inputs:
                visit(i)
            order.append(t.layer)

        for t in outputs:
            visit(t)
        self.layers = order

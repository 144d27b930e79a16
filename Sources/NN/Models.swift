import TensorCore

/// Reference networks used by benchmarks and tests.
public enum ResNet18 {
    /// A basic block: two 3×3 convs with batch norm, and a 1×1 shortcut when the shape changes.
    public static func block(_ cin: Int, _ cout: Int, stride: Int) throws -> Residual {
        let body = Sequential([
            try Conv2d(cin, cout, kernelSize: .int(3), stride: .int(stride), padding: .sizes([1])),
            try BatchNorm2d(cout), ReLU(),
            try Conv2d(cout, cout, kernelSize: .int(3), padding: .sizes([1])),
            try BatchNorm2d(cout),
        ])
        let shortcut: Module? = (stride != 1 || cin != cout)
            ? Sequential([try Conv2d(cin, cout, kernelSize: .int(1), stride: .int(stride)), try BatchNorm2d(cout)])
            : nil
        return Residual(body: body, shortcut: shortcut, activation: ReLU())
    }

    /// ResNet-18 for `inChannels`×224×224 inputs, as Notebooks/03 builds it.
    public static func make(inChannels: Int = 1, classes: Int = 10) throws -> Sequential {
        Sequential([
            Sequential([try Conv2d(inChannels, 64, kernelSize: .int(7), stride: .int(2), padding: .sizes([3])),
                        try BatchNorm2d(64), ReLU(), try MaxPool2d(kernelSize: .int(3), stride: .int(2), padding: .int(1))]),
            Sequential([try block(64, 64, stride: 1), try block(64, 64, stride: 1)]),
            Sequential([try block(64, 128, stride: 2), try block(128, 128, stride: 1)]),
            Sequential([try block(128, 256, stride: 2), try block(256, 256, stride: 1)]),
            Sequential([try block(256, 512, stride: 2), try block(512, 512, stride: 1)]),
            Sequential([AdaptiveAvgPool2d(outputSize: .tuple([1, 1])), Flatten(), try Linear(512, classes)]),
        ])
    }
}

/// d2l's LeNet with ReLU and max pooling, for 1×28×28 inputs (Fashion-MNIST).
public enum LeNet {
    public static func make(classes: Int = 10) throws -> Sequential {
        Sequential([
            try Conv2d(1, 6, kernelSize: .int(5), padding: .sizes([2])), ReLU(), try MaxPool2d(kernelSize: .int(2), stride: .int(2)),
            try Conv2d(6, 16, kernelSize: .int(5)), ReLU(), try MaxPool2d(kernelSize: .int(2), stride: .int(2)),
            Flatten(), try Linear(16 * 5 * 5, 120), ReLU(), try Linear(120, 84), ReLU(), try Linear(84, classes),
        ])
    }
}

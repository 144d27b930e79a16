/// `help(torch.cat)` and the other functions that change shapes: what each
/// parameter means and the shape that comes out, with a tested example.
extension LayerDocs {
    static let torchFunctions: [String: LayerDoc] = [
        "torch.cat": LayerDoc(
            params: [
                ("tensors", "(sequence of Tensors) same shape except in dim (1-D empty tensors are skipped)"),
                ("dim", "(int) the existing dim to join along. Default: 0"),
            ],
            shape: ["Output: the inputs' shape with dim = the sum of their sizes in dim"],
            example: [
                ">>> torch.cat([torch.zeros(2, 3), torch.ones(4, 3)]).shape",
                "torch.Size([6, 3])",
                ">>> torch.cat([torch.zeros(2, 3), torch.ones(2, 1)], dim=1).shape",
                "torch.Size([2, 4])",
            ]),
        "torch.stack": LayerDoc(
            params: [
                ("tensors", "(sequence of Tensors) all of the same shape"),
                ("dim", "(int) where the new dim goes, 0 to the inputs' rank. Default: 0"),
            ],
            shape: ["Output: the inputs' shape with a new dim of size len(tensors) at dim"],
            example: [
                ">>> torch.stack([torch.zeros(2, 3)] * 5).shape",
                "torch.Size([5, 2, 3])",
                ">>> torch.stack([torch.zeros(2, 3)] * 5, dim=2).shape",
                "torch.Size([2, 3, 5])",
            ]),
        "torch.matmul": LayerDoc(
            params: [
                ("input", "(Tensor) the left factor"),
                ("other", "(Tensor) the right factor"),
            ],
            shape: [
                "1-D @ 1-D: the dot product, a scalar; 2-D @ 2-D: (n, m) @ (m, p) -> (n, p);",
                "1-D on either side is treated as a row (left) or a column (right), the extra dim dropped after;",
                "more dims: a batch of matrix products, the batch dims broadcast: (j, 1, n, m) @ (k, m, p) -> (j, k, n, p)",
            ],
            example: [
                ">>> torch.matmul(torch.ones(10, 1, 3, 4), torch.ones(5, 4, 2)).shape",
                "torch.Size([10, 5, 3, 2])",
                ">>> torch.matmul(torch.ones(3, 4), torch.ones(4)).shape",
                "torch.Size([3])",
            ]),
        "torch.flatten": LayerDoc(
            params: [
                ("input", "(Tensor) any shape"),
                ("start_dim", "(int) first dim to flatten. Default: 0 (nn.Flatten's is 1)"),
                ("end_dim", "(int) last dim to flatten. Default: -1"),
            ],
            shape: ["Output: dims start_dim..end_dim replaced by their product; a view when it can be"],
            example: [
                ">>> torch.flatten(torch.zeros(2, 3, 4)).shape",
                "torch.Size([24])",
                ">>> torch.flatten(torch.zeros(2, 3, 4), start_dim=1).shape",
                "torch.Size([2, 12])",
            ]),
        "torch.permute": LayerDoc(
            params: [
                ("input", "(Tensor) any shape"),
                ("dims", "(ints) the new order: output dim i is input dim dims[i]"),
            ],
            shape: ["Output: (input.shape[dims[0]], input.shape[dims[1]], ...), a view"],
            example: [
                ">>> torch.permute(torch.zeros(2, 3, 5), (2, 0, 1)).shape",
                "torch.Size([5, 2, 3])",
            ]),
        "torch.squeeze": LayerDoc(
            params: [
                ("input", "(Tensor) any shape"),
                ("dim", "(int, tuple or None) only these dims, and only when their size is 1. Default: None (every size-1 dim)"),
            ],
            shape: ["Output: the input's shape without its size-1 dims (or those of dim), a view"],
            example: [
                ">>> torch.squeeze(torch.zeros(2, 1, 3, 1)).shape",
                "torch.Size([2, 3])",
                ">>> torch.squeeze(torch.zeros(2, 1, 3, 1), 1).shape",
                "torch.Size([2, 3, 1])",
            ]),
        "torch.unsqueeze": LayerDoc(
            params: [
                ("input", "(Tensor) any shape"),
                ("dim", "(int) where the new size-1 dim goes, in [-rank-1, rank]"),
            ],
            shape: ["Output: the input's shape with a 1 inserted at dim, a view"],
            example: [
                ">>> torch.unsqueeze(torch.zeros(3, 4), 0).shape",
                "torch.Size([1, 3, 4])",
                ">>> torch.unsqueeze(torch.zeros(3, 4), -1).shape",
                "torch.Size([3, 4, 1])",
            ]),
        "torch.transpose": LayerDoc(
            params: [
                ("input", "(Tensor) any shape"),
                ("dim0", "(int) one dim to swap"),
                ("dim1", "(int) the other"),
            ],
            shape: ["Output: the input's shape with dim0 and dim1 swapped, a view sharing the storage"],
            example: [
                ">>> torch.transpose(torch.zeros(2, 3, 4), 0, 2).shape",
                "torch.Size([4, 3, 2])",
            ]),
    ]
}

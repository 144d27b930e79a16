// NN

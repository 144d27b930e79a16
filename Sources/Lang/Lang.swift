// Lang

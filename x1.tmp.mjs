await import('@stepwise/core'); await import('@stepwise/dataframe');

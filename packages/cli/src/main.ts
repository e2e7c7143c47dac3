console.log('cordon');
